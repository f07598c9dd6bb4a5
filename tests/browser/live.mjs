// tests/browser/live.mjs: the preview over time and while it is edited,
// in chromium.  On a copy of examples/depression whose module 2 opens when
// module 1 is completed and reviewed and whose module 3 seven days after
// module 1 was completed: the designer's panel plays the treatment (module
// 2 opens after the feedback, a week later module 3 opens and PHQ-9 falls
// due, and the start page agrees); an edit of a module reloads the open
// page with the new text at the same scroll position; an error shows the
// overlay (file, line, column, message, code) over the last good version
// and the fix clears it.  Every wait is for a navigation, a DOM state or a
// Server-Sent Event the page received (seen through the DevTools
// protocol), never for time.
import { cpSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { check, ok, startServer, stopServer, watch, axe, formatViolations, ensureDir } from './lib.mjs';

const STEGC = process.env.STEGC;
const EX = process.env.EX;
const SHOTS = process.env.STEG_SCREENSHOTS;

// Replace `from` (which must be there) by `to` in a file.
export function edit(file, from, to) {
	const text = readFileSync(file, 'utf8');
	if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
	writeFileSync(file, text.replace(from, to));
}

// A copy of examples/depression in a new folder of the working directory.
export function copyDepression(tag) {
	const dir = mkdtempSync(path.join(process.cwd(), `${tag}-`));
	cpSync(path.join(EX, 'depression'), dir, { recursive: true });
	return dir;
}

// The Server-Sent Events a page receives, by name, in order: `next(name)`
// resolves with the data of the first event of that name not yet taken
// (one received before the call counts), or rejects after `ms`.
async function sseEvents(page) {
	const cdp = await page.createCDPSession();
	await cdp.send('Network.enable');
	const got = [];
	const waiting = [];
	cdp.on('Network.eventSourceMessageReceived', (e) => {
		got.push(e);
		for (const w of waiting.splice(0)) w();
	});
	return {
		async next(name, ms = 10000) {
			const deadline = Date.now() + ms;
			for (;;) {
				const i = got.findIndex((e) => e.eventName === name);
				if (i >= 0) return got.splice(0, i + 1)[i].data;
				const left = deadline - Date.now();
				if (left <= 0) throw new Error(`no "${name}" event within ${ms} ms (seen: ${got.map((e) => e.eventName).join(', ') || 'none'})`);
				await new Promise((resolve) => {
					const t = setTimeout(resolve, left);
					waiting.push(() => { clearTimeout(t); resolve(); });
				});
			}
		},
		drop() { got.length = 0; },
		detach() { return cdp.detach(); },
	};
}

// The panel's rows: { id: "Öppen" | "Låst" | "Klar…" } from its table.
const ROWS = () => Object.fromEntries([...document.querySelectorAll('table.panel-modules tr[data-module]')]
	.map((tr) => [tr.dataset.module, tr.querySelector('td').className.replace(/^state-/, '')]));

async function panel(page, base) {
	const url = new URL('panel', base).href;
	const press = async (action, module) => {
		const sel = module
			? `form.panel-action:has(input[name="module"][value="${module}"]) button[value="${action}"]`
			: `form.panel-action button[value="${action}"]`;
		const b = await page.$(sel);
		if (!b) throw new Error(`the panel has no button ${sel}`);
		await Promise.all([page.waitForNavigation(), b.click()]);
		if (new URL(page.url()).pathname !== '/panel') throw new Error(`the button led to ${page.url()}`);
	};
	const states = (want) => page.evaluate(ROWS).then((got) => {
		const bad = Object.entries(want).filter(([k, v]) => got[k] !== v);
		return bad.length === 0 || `states ${JSON.stringify(got)}, wanted ${JSON.stringify(want)}`;
	});
	const startPage = async (id) => {
		const p = await page.browser().newPage();
		try {
			await p.goto(base);
			return await p.$eval(`li.module[data-module="${id}"]`, (li) => li.className);
		} finally {
			await p.close();
		}
	};
	await page.goto(url);
	await check('panel: completing module 1 ("Markera som klar") leaves module 2 locked until the feedback', async () => {
		await press('complete', 'intro');
		return states({ intro: 'completed', 'ond-cirkel': 'locked', 'aktivering-1': 'locked' });
	});
	await check('panel: the clinician\'s feedback on module 1 ("Ge återkoppling") opens module 2, on the panel and on the start page', async () => {
		await press('review', 'intro');
		const r = await states({ intro: 'completed', 'ond-cirkel': 'open', 'aktivering-1': 'locked' });
		if (r !== true) return r;
		const cls = await startPage('ond-cirkel');
		return /\bopen\b/.test(cls) || `the start page has module 2 as "${cls}"`;
	});
	await check('panel: a week on ("En vecka framåt") opens the days_since module and PHQ-9 falls due weekly, on day 7', async () => {
		await press('week');
		const r = await states({ 'ond-cirkel': 'open', 'aktivering-1': 'open' });
		if (r !== true) return r;
		const clock = await page.$eval('#panel-clock', (p) => p.textContent);
		const hist = await page.$$eval('#h-history-list li', (ls) => ls.map((l) => `${l.dataset.day} ${l.dataset.kind} ${l.dataset.id || ''}: ${l.textContent.trim()}`));
		const probs = [];
		if (!/^Dag 7, vecka 2\./.test(clock)) probs.push(`clock "${clock}"`);
		if (!hist.some((h) => /^7 open aktivering-1: /.test(h))) probs.push('no "Dag 7 … öppnas" for aktivering-1');
		if (!hist.some((h) => /^7 due phq9: .*ska fyllas i \(varje vecka\)$/.test(h))) probs.push('no "Dag 7 … PHQ-9 ska fyllas i (varje vecka)"');
		if (probs.length) return `${probs.join('\n')}\nhistory:\n${hist.join('\n')}`;
		const cls = await startPage('aktivering-1');
		return /\bopen\b/.test(cls) || `the start page has module 3 as "${cls}"`;
	});
	await check('panel: axe finds no WCAG 2.1 AA violation on the panel', async () => {
		const v = await axe(page);
		return v.length === 0 || formatViolations(v);
	});
}

// Edit, then error, then fix, with one page open on module 1's page 2.
async function editing(page, w, base, dir) {
	const mod = path.join(dir, 'modules/01-intro.md');
	const bad = path.join(dir, 'modules/02-ond-cirkel.md');
	await page.setViewport({ width: 375, height: 500 });
	const sse = await sseEvents(page);
	try {
		await page.goto(new URL('m/intro/2', base).href);
		await sse.next('ok');
		let y = 0;
		await check('live: editing the module reloads the open page with the new text, at the same scroll position', async () => {
			const max = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
			if (max < 200) return `the page scrolls only ${max} px: too short to test`;
			y = Math.round(max / 2);
			await page.evaluate((to) => window.scrollTo(0, to), y);
			w.take();
			await Promise.all([page.waitForNavigation(),
				edit(mod, 'Alla känner sig ledsna ibland.', 'Alla känner sig nere ibland.')]);
			await sse.next('reload');
			const text = await page.$eval('main', (m) => m.textContent);
			const at = await page.evaluate(() => window.scrollY);
			const probs = w.take();
			if (!text.includes('Alla känner sig nere ibland.') || text.includes('ledsna ibland')) probs.push('the page has not the new text');
			if (Math.abs(at - y) > 2) probs.push(`scrolled to ${at}, was ${y}`);
			return probs.length === 0 || probs.join('\n');
		});
		await check('live: an error shows the overlay over the last good version, with file, line, column, message and code', async () => {
			sse.drop();
			edit(bad, 'unlock: completed("intro")', 'unlock: completed("intrp")');
			await sse.next('errors');
			const t = await page.waitForSelector('#steg-live-errors', { visible: true, timeout: 20000 });
			const o = await t.evaluate((e) => ({ text: e.innerText, role: e.getAttribute('role') }));
			const main = await page.$eval('main', (m) => m.textContent);
			const probs = [];
			if (!/modules\/02-ond-cirkel\.md:4:19/.test(o.text)) probs.push('no "modules/02-ond-cirkel.md:4:19"');
			if (!/\[unknown-name\]/.test(o.text)) probs.push('no "[unknown-name]"');
			if (!/intrp/.test(o.text)) probs.push('the message does not name "intrp"');
			if (o.role !== 'alert') probs.push(`role ${o.role}`);
			if (!main.includes('Alla känner sig nere ibland.')) probs.push('the page behind it is not the last good version');
			if (SHOTS) await page.screenshot({ path: path.join(ensureDir(SHOTS), 'overlay-375.png') });
			return probs.length === 0 || `${probs.join('\n')}\noverlay:\n${o.text}`;
		});
		await check('live: fixing the error clears the overlay (the page reloads)', async () => {
			sse.drop();
			await Promise.all([page.waitForNavigation(),
				edit(bad, 'unlock: completed("intrp")', 'unlock: completed("intro")')]);
			await sse.next('ok');
			const o = await page.$('#steg-live-errors');
			const p = w.take();
			return (!o && p.length === 0) || [o ? 'the overlay is still there' : '', ...p].filter(Boolean).join('\n');
		});
	} finally {
		await sse.detach();
	}
}

// `stegc preview` of a folder that has errors from the start: the pages
// list them (and the overlay shows them) until the fix, then the start
// page comes by itself.
async function brokenAtStart(browser) {
	const dir = copyDepression('broken');
	const yaml = path.join(dir, 'program.yaml');
	edit(yaml, 'title: Depressionshjälpen\n', '');
	let srv;
	try {
		srv = await startServer(STEGC, ['preview', '--port', '0', dir]);
	} catch (e) {
		ok(false, 'stegc preview of a folder with errors serves it all the same', String(e));
		return;
	}
	const page = await browser.newPage();
	const sse = await sseEvents(page);
	try {
		await check('a folder with errors at the start: the page lists them (file, line, column, message, code) and the fix brings the start page', async () => {
			const res = await page.goto(srv.url);
			await sse.next('errors');
			await page.waitForSelector('#steg-live-errors', { visible: true, timeout: 20000 });
			const listed = await page.$$eval('ul.findings li', (ls) => ls.map((l) => l.textContent.trim()));
			const probs = [];
			if (res.status() !== 503) probs.push(`status ${res.status()}`);
			if (!listed.some((l) => /program\.yaml:4:1 missing required key 'title' \[missing-key\]$/.test(l))) probs.push(`listed: ${JSON.stringify(listed)}`);
			const v = await axe(page);
			if (v.length) probs.push(formatViolations(v));
			if (probs.length) return probs.join('\n');
			await Promise.all([page.waitForNavigation(), edit(yaml, 'version: 1.0.0\n', 'version: 1.0.0\ntitle: Depressionshjälpen\n')]);
			await sse.next('ok');
			const h1 = await page.$eval('h1', (h) => h.textContent);
			const o = await page.$('#steg-live-errors');
			return (h1 === 'Depressionshjälpen' && !o) || `h1 "${h1}", overlay ${o ? 'still there' : 'gone'}`;
		});
	} finally {
		await sse.detach();
		await page.close();
		const r = await stopServer(srv.proc);
		const out = srv.proc.output || '';
		ok(!/AddressSanitizer|LeakSanitizer|runtime error:/.test(out) && r.code === 0,
			'stegc preview (a folder with errors at the start) stops on SIGTERM with exit 0 and no sanitizer report',
			`exit ${r.code ?? r.sig}\n${out.slice(-3000)}`);
	}
}

export async function live(browser) {
	if (!STEGC || !EX) throw new Error('STEGC and EX must be set (tests/lib.sh does)');
	const dir = copyDepression('live');
	edit(path.join(dir, 'modules/02-ond-cirkel.md'), 'unlock: completed("intro")',
		'unlock: completed("intro") and reviewed("intro")');
	edit(path.join(dir, 'modules/03-aktivering-1.md'), 'unlock: completed("ond-cirkel")',
		'unlock: days_since("intro") >= 7');
	let srv;
	try {
		srv = await startServer(STEGC, ['preview', '--port', '0', dir]);
	} catch (e) {
		ok(false, 'stegc preview on a copy of examples/depression prints its URL', String(e));
		return;
	}
	const page = await browser.newPage();
	const w = watch(page);
	try {
		await panel(page, srv.url);
		await editing(page, w, srv.url, dir);
		await brokenAtStart(browser);
	} finally {
		await page.close();
		const r = await stopServer(srv.proc);
		const out = srv.proc.output || '';
		ok(!/AddressSanitizer|LeakSanitizer|runtime error:/.test(out) && r.code === 0,
			'stegc preview (live) stops on SIGTERM with exit 0 and no sanitizer report',
			`exit ${r.code ?? r.sig}\n${out.slice(-3000)}`);
	}
}
