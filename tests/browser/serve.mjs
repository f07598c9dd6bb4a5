// tests/browser/serve.mjs: steg serve in chromium, each role in a browser
// of its own that logs in with the role's client certificate
// (clientcert.mjs).  Each page a role works on loads without console
// errors or failed requests, axe-core finds no WCAG 2.1 AA violation on
// it, nothing is wider than the window, and it is photographed at 375
// and 1280 px into $STEG_SCREENSHOTS/serve-ROLE-PAGE-WIDTH.png.  The work
// itself: a clinician activates a program, a publisher approves and
// publishes, an admin adds a user; afterwards the command line (steg
// list, steg show, steg user list, steg audit) sees the same state and
// the audit rows name each certificate's HSA-id.
//
// Environment (set by tests/t0940-serve-browser.sh): STEG, STEG_DB, and
// SERVE_USERS, a JSON object from role to HSA-id with UNIT, OTHER_UNIT,
// PROGRAM (an id@version published to UNIT, not active there) and
// APPROVE (an id@version imported, not approved).
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
	} finally {
		const r = await stopServer(proc);
		ok(r.code === 0, 'steg serve stops on SIGTERM with exit 0', JSON.stringify(r));
		ok(!/AddressSanitizer|runtime error:|LeakSanitizer/.test(proc.output || ''),
			'no sanitizer report from steg serve', (proc.output || '').slice(-3000));
	}
}

async function clinician(certs, scratch, origin, base) {
	const b = await browserFor(certs, scratch, U.clinician, origin);
	try {
		const page = await b.newPage();
		const w = watch(page);
		await check('clinician: the start page leads to the unit\'s programs', async () => {
			await page.goto(base, { waitUntil: 'load' });
			return page.url() === `${base}units/${U.UNIT}` || `at ${page.url()}`;
		});
		await inspect(page, w, 'clinician', 'unit');
	} finally {
		await b.close();
	}
}
