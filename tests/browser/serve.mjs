// tests/browser/serve.mjs: steg serve in chromium, each role in a browser
// of its own that logs in with the role's client certificate
// (clientcert.mjs).  Each page a role works on loads without console
// errors or failed requests, axe-core finds no WCAG 2.1 AA violation on
// it, nothing is wider than the window, and it is photographed at 375
// and 1280 px into $STEG_SCREENSHOTS/serve-ROLE-PAGE-WIDTH.png.  The work
// itself: a clinician activates a program (and is refused one not yet
// approved, the reason in Swedish), a publisher approves and
// publishes, compares two versions and sees the channels' last syncs, an
// admin adds a user, changes a role, adds a unit, trusts an uploaded key
// and reads the audit log's verdict; afterwards the command line (steg
// list, steg show, steg user list, steg unit list, steg trust list, steg
// audit) sees the same state and the audit rows name each certificate's
// HSA-id.
//
// Environment (set by tests/t0940-serve-browser.sh): STEG, STEG_DB, and
// SERVE_USERS, a JSON object from role to HSA-id with UNIT, OTHER_UNIT,
// PROGRAM (an id@version published to UNIT, not active there),
// APPROVE (an id@version imported, not approved), CHANNEL (a location a
// refused sync was tried from), KEY_FILE (a .pub nobody trusts yet) and
// PARTNER (the region to trust it for).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { check, ok, diag, startServer, stopServer, watch, axe, formatViolations, ensureDir } from './lib.mjs';
import { launchAs, caCN } from './clientcert.mjs';

const STEG = process.env.STEG;
const DB = process.env.STEG_DB;
const SHOTS = process.env.STEG_SCREENSHOTS;
const U = JSON.parse(process.env.SERVE_USERS || '{}');
const WIDTHS = [375, 1280];

function steg(...args) {
	return execFileSync(STEG, ['--db', DB, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function auditRows(after) {
	return steg('audit').split('\n').filter((l) => /^\d+\t/.test(l))
		.map((l) => l.split('\t')).filter((r) => Number(r[0]) > after);
}

function lastSeq() {
	const rows = auditRows(0);
	return rows.length ? Number(rows[rows.length - 1][0]) : 0;
}

// Everything a role's page must be: loaded clean, accessible, fitting
// both widths; photographed at both.
async function inspect(page, w, role, name) {
	await check(`${role}: the ${name} page loads with no console error and no failed request`, async () => {
		const p = w.take();
		return p.length === 0 || p.join('\n');
	});
	await check(`${role}: axe finds no WCAG 2.1 AA violation on the ${name} page`, async () => {
		const v = await axe(page);
		return v.length === 0 || formatViolations(v);
	});
	for (const width of WIDTHS) {
		await check(`${role}: the ${name} page fits ${width} px and is photographed`, async () => {
			await page.setViewport({ width, height: 900 });
			const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			await page.screenshot({ path: path.join(ensureDir(SHOTS), `serve-${role}-${name}-${width}.png`), fullPage: true });
			return over <= 0 || `the page is ${over} px wider than the window`;
		});
	}
	await page.setViewport({ width: 1280, height: 900 });
	w.take();
}

// A browser as `hsa`, on the server at `origin`.
async function browserFor(certs, scratch, hsa, origin) {
	const home = mkdtempSync(path.join(scratch, `home-${hsa}-`));
	return launchAs({ home, caPem: path.join(certs, 'ca.pem'), p12: path.join(certs, `${hsa}.p12`),
		p12pass: 'demo', origins: [origin], issuerCN: caCN(path.join(certs, 'ca.pem')) });
}

// Click the element matched by `selector` and wait for the navigation it
// starts.
async function clickAndWait(page, selector) {
	await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

export async function serve(certs, scratch) {
	const { url, proc } = await startServer(STEG, ['--db', DB, 'serve', '--port', '0',
		'--cert', path.join(certs, 'server.pem'), '--key', path.join(certs, 'server.key'),
		'--client-ca', path.join(certs, 'ca.pem'), '--crl', path.join(certs, 'crl.pem')]);
	const origin = url.replace(/\/$/, '').replace('127.0.0.1', 'localhost');
	const base = origin + '/';
	diag(`steg serve at ${base}`);
	try {
		await clinician(certs, scratch, origin, base);
		await publisher(certs, scratch, origin, base);
		await admin(certs, scratch, origin, base);
	} finally {
		const r = await stopServer(proc);
		ok(r.code === 0, 'steg serve stops on SIGTERM with exit 0', JSON.stringify(r));
		ok(!/AddressSanitizer|runtime error:|LeakSanitizer/.test(proc.output || ''),
			'no sanitizer report from steg serve', (proc.output || '').slice(-3000));
	}
}

// The text of the page's <main>.
async function mainText(page) {
	return page.$eval('main', (m) => m.innerText.replace(/\s+/g, ' '));
}

// Follow the link matched by `link` to a confirmation page, check what it
// says (`says`), photograph it, confirm (after `before`, e.g. ticking a
// unit), and check the answer says `done`.  Returns nothing; each step is
// a check of its own.
async function confirmFlow(page, w, role, link, says, done, before) {
	await check(`${role}: the button leads to a confirmation page that says what changes`, async () => {
		await clickAndWait(page, link);
		const t = await mainText(page);
		return t.includes(says) || `the page says: ${t}`;
	});
	await inspect(page, w, role, `confirm-${link.match(/confirm\/([a-z-]+)/)[1]}`);
	if (before)
		await before();
	await check(`${role}: confirming does it and the page says so`, async () => {
		await clickAndWait(page, 'form[method="post"] button[type="submit"]');
		const t = await mainText(page);
		return t.includes(done) || `the page says: ${t}`;
	});
	await inspect(page, w, role, `done-${link.match(/confirm\/([a-z-]+)/)[1]}`);
}

function refOf(v) {
	return encodeURIComponent(v);
}

async function clinician(certs, scratch, origin, base) {
	const b = await browserFor(certs, scratch, U.clinician, origin);
	const seq = lastSeq();
	try {
		const page = await b.newPage();
		const w = watch(page);
		await check('clinician: the start page leads to the unit\'s programs', async () => {
			await page.goto(base, { waitUntil: 'load' });
			return page.url() === `${base}units/${U.UNIT}` || `at ${page.url()}`;
		});
		await inspect(page, w, 'clinician', 'unit');
		await check('clinician: "Visa som patient" opens the version as its patient sees it', async () => {
			await clickAndWait(page, `a[href="/view/${U.PROGRAM}/"]`);
			const t = await page.$eval('body', (m) => m.innerText);
			return (t.includes('Förhandsvisning av') && t.includes('Basprogram')) || `the page says: ${t}`;
		});
		await inspect(page, w, 'clinician', 'view');
		await check('clinician: back at the unit', async () => {
			await page.goto(`${base}units/${U.UNIT}`, { waitUntil: 'load' });
			return true;
		});
		w.take();
		await confirmFlow(page, w, 'clinician',
			`a[href^="/confirm/activate?program=${refOf(U.PROGRAM)}"]`,
			'Vårdcentral Norr börjar erbjuda ”Basprogram” version 1.0.0.',
			'Vårdcentral Norr erbjuder nu ”Basprogram” version 1.0.0.');
		await refusal(page, w, base);
	} finally {
		await b.close();
	}
	await check('clinician: the command line sees the activation, audited with the certificate\'s HSA-id', async () => {
		const l = JSON.parse(steg('list', '--unit', U.UNIT, '--json'));
		const v = l.find((x) => `${x.id}@${x.version}` === U.PROGRAM);
		const rows = auditRows(seq).filter((r) => r[5] === 'activate' && r[7] === 'ok');
		return (v && v.active === true && rows.length === 1 && rows[0][2] === U.clinician) ||
			`list: ${JSON.stringify(v)}; rows: ${JSON.stringify(rows)}`;
	});
}

// A clinician confirms the activation of a version no publisher has
// approved yet: the answer (409) says why in Swedish, with whom to ask and
// no command to type, and links back to the unit; the page is
// accessible, fits and is photographed.
async function refusal(page, w, base) {
	const want = `${U.APPROVE} är inte godkänd än. Be en utgivare godkänna den; sedan kan den aktiveras.`;
	await check('clinician: activating a version not approved is refused, the reason in Swedish naming whom to ask', async () => {
		await page.goto(`${base}confirm/activate?program=${refOf(U.APPROVE)}&unit=${U.UNIT}`, { waitUntil: 'load' });
		await clickAndWait(page, 'form[method="post"] button[type="submit"]');
		const t = await mainText(page);
		// The refusal's own 409, which chromium also logs as a console
		// error, and nothing else.
		const p = w.take().filter((x) => !/^HTTP 409: .*\/actions\/activate$/.test(x) &&
			!/^console error: Failed to load resource: .* 409 \(Conflict\)$/.test(x));
		if (p.length)
			return `expected only the 409 of the refusal, saw: ${p.join('; ')}`;
		const back = await page.$$eval(`main a[href="/units/${U.UNIT}"]`, (as) => as.map((a) => a.textContent));
		return (t.includes('Nekades') && t.includes(`Skäl: ${want}`) && !/\bstegc? [a-z]|--[a-z]/.test(t) &&
			back.length === 1 && back[0] === 'Tillbaka') || `the page says: ${t}; links back: ${back}`;
	});
	await inspect(page, w, 'clinician', 'refused-activate');
}

async function publisher(certs, scratch, origin, base) {
	const b = await browserFor(certs, scratch, U.publisher, origin);
	const seq = lastSeq();
	try {
		const page = await b.newPage();
		const w = watch(page);
		await check('publisher: the versions page lists every imported version with its signature and state', async () => {
			await page.goto(`${base}versions`, { waitUntil: 'load' });
			const t = await mainText(page);
			return (t.includes('Inte godkänd') && t.includes('Osignerad') && t.includes(U.publisher)) ||
				`the page says: ${t}`;
		});
		await inspect(page, w, 'publisher', 'versions');
		const v = U.APPROVE.split('@')[1];
		await confirmFlow(page, w, 'publisher', `a[href^="/confirm/approve?program=${refOf(U.APPROVE)}"]`,
			`Version ${v} av ”Basprogram” godkänns för hela regionen`,
			`Version ${v} av ”Basprogram” är godkänd.`);
		await check('publisher: back on the versions page', async () => {
			await page.goto(`${base}versions`, { waitUntil: 'load' });
			return true;
		});
		w.take();
		await confirmFlow(page, w, 'publisher', `a[href^="/confirm/publish?program=${refOf(U.APPROVE)}"]`,
			`Version ${v} av ”Basprogram” publiceras till de enheter du väljer`,
			`Version ${v} av ”Basprogram” är publicerad till Vårdcentral Norr.`,
			async () => page.click(`input[type="checkbox"][value="${U.UNIT}"]`));
		await check('publisher: a version links to the difference from the one before', async () => {
			await page.goto(`${base}versions`, { waitUntil: 'load' });
			await clickAndWait(page, `a[href^="/versions/diff?program="]`);
			const t = await mainText(page);
			return (t.includes('Ändringar i Basprogram') && t.includes('Inga ändringar från version')) ||
				`the page says: ${t}`;
		});
		await inspect(page, w, 'publisher', 'diff');
		await check('publisher: the channels page shows each channel\'s last sync and outcome', async () => {
			await page.goto(`${base}channels`, { waitUntil: 'load' });
			const t = await mainText(page);
			return (t.includes(U.CHANNEL) && t.includes('Nekades') && t.includes('Aldrig')) ||
				`the page says: ${t}`;
		});
		await inspect(page, w, 'publisher', 'channels');
	} finally {
		await b.close();
	}
	await check('publisher: the command line sees the approval and the publication, audited with the HSA-id', async () => {
		const s = JSON.parse(steg('show', U.APPROVE, '--json'));
		const pubs = (s.publications || []).filter((p) => p.current);
		const rows = auditRows(seq).filter((r) => ['approve', 'publish'].includes(r[5]) && r[7] === 'ok');
		return (s.approved_by === U.publisher && pubs.length === 1 && pubs[0].unit === U.UNIT &&
			rows.length === 2 && rows.every((r) => r[2] === U.publisher)) ||
			`show: ${JSON.stringify(s).slice(0, 600)}; rows: ${JSON.stringify(rows)}`;
	});
}

async function admin(certs, scratch, origin, base) {
	const b = await browserFor(certs, scratch, U.admin, origin);
	const seq = lastSeq();
	const hsa = 'SE2321000016-C042';
	const unit = 'SE2321000016-U042';
	try {
		const page = await b.newPage();
		const w = watch(page);
		await check('admin: the users page lists the users', async () => {
			await page.goto(`${base}users`, { waitUntil: 'load' });
			const t = await mainText(page);
			return t.includes('Cilla Behandlare') || `the page says: ${t}`;
		});
		await inspect(page, w, 'admin', 'users');
		await check('admin: the add form leads to a confirmation page that says what changes', async () => {
			await page.type('#hsa_id', hsa);
			await page.type('#name', 'Nora Ny');
			await page.select('#role', 'clinician');
			await page.select('#unit', U.UNIT);
			await clickAndWait(page, 'form[action="/confirm/user-add"] button[type="submit"]');
			const t = await mainText(page);
			return t.includes(`Nora Ny (${hsa}) läggs till som behandlare vid Vårdcentral Norr.`) ||
				`the page says: ${t}`;
		});
		await inspect(page, w, 'admin', 'confirm-user-add');
		await check('admin: confirming adds the user and the page says so', async () => {
			await clickAndWait(page, 'form[method="post"] button[type="submit"]');
			const t = await mainText(page);
			return t.includes(`Nora Ny (${hsa}) är tillagd som behandlare vid Vårdcentral Norr.`) ||
				`the page says: ${t}`;
		});
		await inspect(page, w, 'admin', 'done-user-add');
		await check('admin: the role form leads to a confirmation that says what changes', async () => {
			await page.goto(`${base}users`, { waitUntil: 'load' });
			await page.select('#r-hsa', hsa);
			await page.select('#r-role', 'publisher');
			await clickAndWait(page, 'form[action="/confirm/user-role"] button[type="submit"]');
			const t = await mainText(page);
			return t.includes(`Nora Ny (${hsa}) blir utgivare vid Vårdcentral Norr. Nu är hen behandlare vid Vårdcentral Norr.`) ||
				`the page says: ${t}`;
		});
		await inspect(page, w, 'admin', 'confirm-user-role');
		await check('admin: confirming changes the role and the page says so', async () => {
			await clickAndWait(page, 'form[method="post"] button[type="submit"]');
			const t = await mainText(page);
			return t.includes(`Nora Ny (${hsa}) är nu utgivare vid Vårdcentral Norr.`) || `the page says: ${t}`;
		});
		await check('admin: the start page lists the units with the form that adds one', async () => {
			await page.goto(base, { waitUntil: 'load' });
			const t = await mainText(page);
			return t.includes('Lägg till vårdenhet') || `the page says: ${t}`;
		});
		await inspect(page, w, 'admin', 'units');
		await check('admin: adding a unit goes through its confirmation', async () => {
			await page.type('#hsa_id', unit);
			await page.type('#name', 'Vårdcentral Väst');
			await clickAndWait(page, 'form[action="/confirm/unit-add"] button[type="submit"]');
			const t = await mainText(page);
			return t.includes(`Vårdenheten Vårdcentral Väst (${unit}) läggs till i regionen`) || `the page says: ${t}`;
		});
		await inspect(page, w, 'admin', 'confirm-unit-add');
		await check('admin: confirming adds the unit', async () => {
			await clickAndWait(page, 'form[method="post"] button[type="submit"]');
			const t = await mainText(page);
			return t.includes(`Vårdenheten Vårdcentral Väst (${unit}) är tillagd.`) || `the page says: ${t}`;
		});
		await check('admin: the trusted keys page lists the region\'s key and the upload form', async () => {
			await page.goto(`${base}trust`, { waitUntil: 'load' });
			const t = await mainText(page);
			return (t.includes('Betrodda nycklar') && t.includes('Lita på en nyckel')) || `the page says: ${t}`;
		});
		await inspect(page, w, 'admin', 'trust');
		await check('admin: uploading a .pub leads to a confirmation naming the key and the region', async () => {
			await page.type('#region', U.PARTNER);
			await page.type('#comment', 'Avtal med Region B');
			const input = await page.$('#key');
			await input.uploadFile(U.KEY_FILE);
			await clickAndWait(page, 'form[action="/confirm/trust-add"] button[type="submit"]');
			const t = await mainText(page);
			return (t.includes('blir betrodd för') && t.includes(U.PARTNER)) || `the page says: ${t}`;
		});
		await inspect(page, w, 'admin', 'confirm-trust-add');
		await check('admin: confirming trusts the key', async () => {
			await clickAndWait(page, 'form[method="post"] button[type="submit"]');
			const t = await mainText(page);
			return t.includes('är betrodd för') || `the page says: ${t}`;
		});
		await inspect(page, w, 'admin', 'done-trust-add');
		await check('admin: the audit log page shows the rows and that the chain holds', async () => {
			await page.goto(`${base}audit?action=user+add`, { waitUntil: 'load' });
			const t = await mainText(page);
			return (t.includes('Granskningsloggen håller') && t.includes(hsa) &&
				t.includes('Signerade kontrollpunkter')) || `the page says: ${t}`;
		});
		await inspect(page, w, 'admin', 'audit');
	} finally {
		await b.close();
	}
	await check('admin: the command line sees the new user, audited with the HSA-id', async () => {
		const users = JSON.parse(steg('user', 'list', '--json'));
		const u = users.find((x) => x.hsa_id === hsa);
		const rows = auditRows(seq).filter((r) => r[5] === 'user add' && r[7] === 'ok');
		return (u && u.role === 'publisher' && u.unit === U.UNIT && rows.length === 1 &&
			rows[0][2] === U.admin) || `user: ${JSON.stringify(u)}; rows: ${JSON.stringify(rows)}`;
	});
	await check('admin: the command line sees the role, the unit and the key, each audited with the HSA-id', async () => {
		const units = JSON.parse(steg('unit', 'list', '--json'));
		const keys = JSON.parse(steg('trust', 'list', '--json'));
		const rows = auditRows(seq).filter((r) => ['user role', 'unit add', 'trust add'].includes(r[5]) && r[7] === 'ok');
		return (units.some((x) => x.hsa_id === unit) && keys.some((k) => k.region === U.PARTNER) &&
			rows.length === 3 && rows.every((r) => r[2] === U.admin)) ||
			`units: ${JSON.stringify(units)}; keys: ${JSON.stringify(keys)}; rows: ${JSON.stringify(rows)}`;
	});
}
