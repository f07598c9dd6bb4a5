// tests/browser/preview.mjs: `stegc preview` on the three examples, in
// chromium.  Every page loads clean; PHQ-9, show-if, a computed field and a
// diary work; every control is reachable and usable by keyboard; axe finds
// no WCAG 2.1 AA violation on the start page, a text page, a page with
// media, an exercise and a rating form, and those pages are photographed at
// 375 and 1280 px into $STEG_SCREENSHOTS.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { check, ok, diag, startServer, stopServer, watch, links, axe, formatViolations,
	controls, tabOrder, ensureDir } from './lib.mjs';

const STEGC = process.env.STEGC;
const EX = process.env.EX;
const SHOTS = process.env.STEG_SCREENSHOTS;
const EXAMPLES = ['depression', 'insomnia', 'tobacco'];

// --port 0: the kernel picks a free port, and the URL printed names it.
export function startPreview(dir, env) {
	return startServer(STEGC, ['preview', '--port', '0', dir], { env });
}

// The module ids in program.yaml's `modules:` list, and the ids of the
// forms and exercises that have files of their own.
function programParts(dir) {
	const yaml = readFileSync(path.join(dir, 'program.yaml'), 'utf8');
	const modules = [];
	let inList = false;
	for (const line of yaml.split('\n')) {
		if (/^modules:\s*$/.test(line)) { inList = true; continue; }
		if (inList) {
			const m = line.match(/^\s+-\s+([A-Za-z0-9_.-]+)\s*$/);
			if (m) modules.push(m[1]);
			else if (/^\S/.test(line)) inList = false;
		}
	}
	const ids = (sub) => existsSync(path.join(dir, sub))
		? readdirSync(path.join(dir, sub)).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort()
		: [];
	return { modules, forms: ids('forms'), exercises: ids('exercises') };
}

// Visit every page reachable from the start page, every module's first
// page, every form and every exercise, following the same-origin links of
// the patient's view.  One TAP line per page.  Returns what was seen.
async function crawl(page, w, base, name, parts) {
	const seed = ['', ...parts.modules.map((m) => `m/${m}/`),
		...parts.forms.map((f) => `forms/${f}`), ...parts.exercises.map((e) => `ex/${e}`)];
	// /m/MODULE/1 is /m/MODULE/: one visit.
	const canon = (u) => u.replace(/(\/m\/[^/]+\/)1$/, '$1');
	const queue = seed.map((s) => new URL(s, base).href);
	const seen = new Set(queue);
	const info = { media: [], modulePages: {} };
	const inView = (u) => {
		const p = new URL(u).pathname;
		return p === '/' || /^\/(m|forms|ex)\//.test(p);
	};
	while (queue.length) {
		const url = queue.shift();
		const rel = new URL(url).pathname;
		w.take();
		let status = 0;
		try {
			const res = await page.goto(url, { waitUntil: 'load' });
			status = res ? res.status() : 0;
		} catch (e) {
			ok(false, `${name} ${rel} loads`, String(e));
			continue;
		}
		await w.settle();
		const problems = w.take();
		ok(status === 200 && problems.length === 0,
			`${name} ${rel} loads with no console error and no failed request`,
			[`status ${status}`, ...problems].join('\n'));
		const m = rel.match(/^\/m\/([^/]+)\/(\d*)$/);
		if (m) (info.modulePages[m[1]] ||= []).push(Number(m[2] || 1));
		const hasMedia = await page.$('main img[src*="/media/"], main audio, main video');
		if (hasMedia) info.media.push(rel);
		for (const l of (await links(page)).map(canon)) {
			if (!seen.has(l) && inView(l)) { seen.add(l); queue.push(l); }
		}
	}
	return info;
}

// Set a field of a form the way a patient would change it (a click for a
// choice, typed text otherwise), so that the page's own events fire.
async function setField(page, name, value) {
	const kind = await page.$eval(`[name="${name}"]`, (el) => el.tagName === 'SELECT' ? 'select' : el.type);
	if (kind === 'radio' || kind === 'checkbox') {
		await page.click(`[name="${name}"][value="${value}"]`);
	} else if (kind === 'select') {
		await page.select(`[name="${name}"]`, String(value));
	} else if (kind === 'range' || kind === 'date' || kind === 'time') {
		await page.$eval(`[name="${name}"]`, (el, v) => {
			el.value = v;
			el.dispatchEvent(new Event('input', { bubbles: true }));
			el.dispatchEvent(new Event('change', { bubbles: true }));
		}, String(value));
	} else {
		await page.click(`[name="${name}"]`, { count: 3 });
		await page.keyboard.press('Backspace');
		await page.type(`[name="${name}"]`, String(value));
	}
}

async function visible(page, name) {
	return page.$eval(`[name="${name}"]`, (el) => {
		const r = el.getBoundingClientRect();
		return !el.closest('[hidden]') && r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
	});
}

// PHQ-9 answers 2,2,1,1,1,1,1,1 and item 9 = 1: total 11, "Måttliga
// symtom" (10–14), and the urgent item-9 alert.
const PHQ9 = { q1: 2, q2: 2, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 1, q9: 1 };
const PHQ9_WANT = { total: '11', band: 'Måttliga symtom', fires: ['suicidtankar'] };

// What the clinician's panel beside the form shows: the total, its band
// and the alerts that fire.
const PANEL = () => {
	const p = document.querySelector('aside.clinician');
	if (!p) return null;
	const tot = p.querySelector('[data-score="total"]');
	const band = tot && tot.parentElement.querySelector('.band');
	return {
		total: tot ? tot.textContent.trim() : null,
		band: band ? band.textContent.trim() : null,
		fires: [...p.querySelectorAll('.alert.fires[data-alert]')].map((e) => e.dataset.alert).sort(),
	};
};

// Wait (the page's script posts to the server and fills the panel in)
// until the panel shows `want`, or 5 s passed; true or what it showed.
async function panelIs(page, want) {
	const same = (got) => got && got.total === want.total && got.band === want.band &&
		JSON.stringify(got.fires) === JSON.stringify([...want.fires].sort());
	try {
		await page.waitForFunction((panel, w) => {
			const got = new Function(`return (${panel})()`)();
			return got && got.total === w.total && got.band === w.band &&
				JSON.stringify(got.fires) === JSON.stringify([...w.fires].sort());
		}, { timeout: 20000, polling: 200 }, PANEL.toString(), want);
	} catch { /* reported below */ }
	const got = await page.evaluate(PANEL);
	return same(got) || `the panel shows ${JSON.stringify(got)}, wanted ${JSON.stringify(want)}`;
}

// Each reply to /api/eval that the page has handled: counted in a task
// after the page's own handling of the reply (its promise callbacks run
// first), so that waiting for the count is waiting for the page.
const COUNT_REPLIES = () => {
	const orig = window.fetch;
	window.stegReplies = 0;
	window.fetch = function (...args) {
		return orig.apply(this, args).then((r) => {
			const json = r.json.bind(r);
			r.json = () => json().then((v) => { setTimeout(() => { window.stegReplies++; }, 0); return v; });
			return r;
		});
	};
};

// The reply to older answers arriving after the reply to newer ones must
// not overwrite the panel (render/preview.js): the first request is held
// back (request interception) until the second has been answered and
// shown, then let go.
async function staleReply(browser, base) {
	const page = await browser.newPage();
	try {
		await page.evaluateOnNewDocument(COUNT_REPLIES);
		await page.goto(new URL('forms/phq9', base).href);
		for (const [k, v] of Object.entries(PHQ9)) await setField(page, k, v);
		const r0 = await panelIs(page, PHQ9_WANT);
		if (r0 !== true) return r0;
		const replies = () => page.evaluate(() => window.stegReplies);
		const until = (n) => page.waitForFunction((k) => window.stegReplies >= k, { timeout: 10000 }, n);
		let held = null;
		let heldSeen;
		const heldNow = new Promise((resolve) => { heldSeen = resolve; });
		await page.setRequestInterception(true);
		page.on('request', (req) => {
			if (req.isInterceptResolutionHandled()) return;
			if (!held && req.url().endsWith('/api/eval')) { held = req; heldSeen(); return; }
			req.continue();
		});
		const n0 = await replies();
		await setField(page, 'q9', 0);       // A: 10, "Måttliga symtom", no alert
		await heldNow;
		await setField(page, 'q8', 0);       // B: 9, "Lindriga symtom"
		await until(n0 + 1);
		const B = { total: '9', band: 'Lindriga symtom', fires: [] };
		const r1 = await panelIs(page, B);
		if (r1 !== true) return `before the late reply: ${r1}`;
		await held.continue();
		await until(n0 + 2);
		const r2 = await panelIs(page, B);
		return r2 === true || `after the late reply to the older answers: ${r2}`;
	} finally {
		await page.close();
	}
}

async function forms(browser, base) {
	const page = await browser.newPage();
	const w = watch(page);
	try {
		await check('PHQ-9 without JavaScript: a submit shows total 11, band "Måttliga symtom" and the item-9 alert', async () => {
			await page.setJavaScriptEnabled(false);
			try {
				await page.goto(new URL('forms/phq9', base).href);
				for (const [k, v] of Object.entries(PHQ9)) await page.click(`[name="${k}"][value="${v}"]`);
				await Promise.all([page.waitForNavigation(), page.click('form button[type="submit"]')]);
				return await panelIs(page, PHQ9_WANT);
			} finally {
				await page.setJavaScriptEnabled(true);
			}
		});
		await check('PHQ-9 with JavaScript: the panel follows the answers as they are given (total 11, band, alert)', async () => {
			await page.goto(new URL('forms/phq9', base).href);
			w.take();
			for (const [k, v] of Object.entries(PHQ9)) await setField(page, k, v);
			const r = await panelIs(page, PHQ9_WANT);
			const p = w.take();
			return r === true ? (p.length === 0 || p.join('\n')) : r;
		});
		await check('PHQ-9: a late reply to older answers (held back until the newer one is shown) does not overwrite the panel', () => staleReply(browser, base));
		await check('PHQ-9: item 9 answered 0 silences the alert (10, "Måttliga symtom"), item 8 answered 0 moves the band (9, "Lindriga symtom")', async () => {
			await setField(page, 'q9', 0);
			const a = await panelIs(page, { total: '10', band: 'Måttliga symtom', fires: [] });
			await setField(page, 'q8', 0);
			const b = await panelIs(page, { total: '9', band: 'Lindriga symtom', fires: [] });
			return (a === true && b === true) || [a, b].filter((x) => x !== true).join('\n');
		});
	} finally {
		await page.close();
	}
}

// Fill in PHQ-9 with the keyboard alone: Tab to each item's radio group,
// Space and arrow keys to choose, Tab to the submit button, Enter.
async function phq9ByKeyboard(page, base) {
	await page.goto(new URL('forms/phq9', base).href);
	await page.evaluate(() => { document.activeElement && document.activeElement.blur(); });
	const active = () => page.evaluate(() => {
		const el = document.activeElement;
		return el ? { tag: el.tagName, name: el.name || '', type: el.type || '', value: el.value } : null;
	});
	for (const [q, v] of Object.entries(PHQ9)) {
		let a = null;
		for (let i = 0; i < 60; i++) {
			await page.keyboard.press('Tab');
			a = await active();
			if (a && a.name === q) break;
		}
		if (!a || a.name !== q) return `Tab never reached item ${q}`;
		await page.keyboard.press('Space');
		for (let i = 0; i < v; i++) await page.keyboard.press('ArrowRight');
		const checked = await page.$eval(`[name="${q}"]:checked`, (el) => el.value).catch(() => null);
		if (checked !== String(v)) return `${q}: keys chose ${checked}, wanted ${v}`;
	}
	let a = null;
	for (let i = 0; i < 60; i++) {
		await page.keyboard.press('Tab');
		a = await active();
		if (a && a.type === 'submit') break;
	}
	if (!a || a.type !== 'submit') return 'Tab never reached the submit button';
	await Promise.all([page.waitForNavigation({ timeout: 10000 }), page.keyboard.press('Enter')]);
	return panelIs(page, PHQ9_WANT);
}

async function exercises(browser, servers) {
	const page = await browser.newPage();
	const w = watch(page);
	try {
		if (servers.tobacco) await check('show-if: "Vad gjorde du i stället?" shows only while "Gjorde något annat" is chosen (tobacco, sugdagbok)', async () => {
			await page.goto(new URL('ex/sugdagbok', servers.tobacco.url).href);
			const probs = [];
			if (await visible(page, 'vad_annat')) probs.push('shown before any answer');
			await setField(page, 'hantering', 2);
			try { await page.waitForFunction(() => { const el = document.querySelector('[name="vad_annat"]'); return el && !el.closest('[hidden]') && el.getBoundingClientRect().height > 0; }, { timeout: 20000 }); } catch { probs.push('not shown after choosing 2'); }
			await setField(page, 'hantering', 1);
			try { await page.waitForFunction(() => { const el = document.querySelector('[name="vad_annat"]'); return !el || el.closest('[hidden]') || el.getBoundingClientRect().height === 0; }, { timeout: 20000 }); } catch { probs.push('still shown after choosing 1'); }
			const p = w.take();
			return probs.length + p.length === 0 || [...probs, ...p].join('\n');
		});
		if (servers.depression) await check('a computed field updates: "Skillnad i humör" is 4 for before 3 and after 7, then -2 for after 1 (depression, aktivitetsdagbok)', async () => {
			await page.goto(new URL('ex/aktivitetsdagbok', servers.depression.url).href);
			const out = 'output[data-computed="forandring"]';
			const shows = async (re) => {
				try {
					await page.waitForFunction((sel, src) => { const el = document.querySelector(sel); return el && new RegExp(src).test(el.textContent.trim()); },
						{ timeout: 20000, polling: 100 }, out, re.source);
					return true;
				} catch { return `shows "${await page.$eval(out, (el) => el.textContent.trim()).catch(() => 'no output')}", wanted ${re}`; }
			};
			await setField(page, 'hum_fore', 3);
			await setField(page, 'hum_efter', 7);
			const a = await shows(/^4( steg)?$/);
			await setField(page, 'hum_efter', 1);
			const b = await shows(/^[-−]2( steg)?$/);
			const p = w.take();
			return (a === true && b === true && p.length === 0) || [a, b, ...p].filter((x) => x !== true).join('\n');
		});
		if (servers.depression) await check('a diary keeps two dated entries (depression, aktivitetsdagbok)', async () => {
			await page.goto(new URL('ex/aktivitetsdagbok', servers.depression.url).href);
			const add = async (date, what) => {
				await setField(page, 'datum', date);
				await setField(page, 'aktivitet', what);
				await Promise.all([page.waitForNavigation({ timeout: 10000 }),
					page.click('form button[type="submit"][value="save"]')]);
			};
			await add('2026-03-02', 'Promenad i parken');
			await add('2026-03-04', 'Ringde min syster');
			const entries = await page.$$eval('li.entry', (ls) => ls.map((l) => l.innerText.replace(/\s+/g, ' ').trim()));
			const probs = [];
			if (entries.length !== 2) probs.push(`${entries.length} entries`);
			if (!entries.some((e) => e.includes('2026-03-02') && e.includes('Promenad i parken'))) probs.push('no entry "2026-03-02 … Promenad i parken"');
			if (!entries.some((e) => e.includes('2026-03-04') && e.includes('Ringde min syster'))) probs.push('no entry "2026-03-04 … Ringde min syster"');
			const p = w.take();
			return probs.length + p.length === 0 || `${[...probs, ...p].join('\n')}\nentries: ${JSON.stringify(entries)}`;
		});
	} finally {
		await page.close();
	}
}

// The five kinds of page: axe at WCAG 2.1 AA, every control reachable by
// Tab, and a screenshot at phone and desktop width.
async function keyPages(browser, servers, found) {
	const dep = servers.depression && servers.depression.url;
	if (!dep) return;
	const d = found.depression || { media: [], modulePages: {} };
	const textPage = Object.entries(d.modulePages).flatMap(([m, ns]) => ns.map((n) => `/m/${m}/${n === 1 ? '' : n}`))
		.find((p) => !d.media.includes(p));
	const mediaPage = d.media.find((p) => p.startsWith('/m/'));
	const pages = [
		['start', '/'],
		['text', textPage],
		['media', mediaPage],
		['exercise', '/ex/aktivitetsdagbok'],
		['form', '/forms/phq9'],
	];
	const dir = SHOTS ? ensureDir(SHOTS) : null;
	const page = await browser.newPage();
	try {
		for (const [kind, rel] of pages) {
			if (!rel) { ok(false, `a ${kind} page was found in examples/depression`); continue; }
			const url = new URL(rel.replace(/^\//, ''), dep).href;
			await page.setViewport({ width: 1280, height: 900 });
			await page.goto(url);
			await check(`axe: no WCAG 2.1 AA violation on the ${kind} page (${rel})`, async () => {
				const v = await axe(page);
				return v.length === 0 || formatViolations(v);
			});
			await check(`keyboard: Tab reaches every control of the ${kind} page (${rel})`, async () => {
				const want = await controls(page);
				const got = await tabOrder(page);
				const miss = want.filter((k) => !got.includes(k));
				return miss.length === 0 || `not reached: ${JSON.stringify(miss)}\norder: ${JSON.stringify(got)}`;
			});
			for (const width of [1280, 375, 320]) {
				await check(`screenshot of the ${kind} page at ${width} px, with nothing wider than the window`, async () => {
					await page.setViewport({ width, height: width < 600 ? 800 : 900 });
					// Tab left the focus somewhere (a focused skip link shows): none.
					await page.evaluate(() => { document.activeElement && document.activeElement.blur && document.activeElement.blur(); window.scrollTo(0, 0); });
					const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
					if (dir) await page.screenshot({ path: path.join(dir, `${kind}-${width}.png`), fullPage: true });
					return overflow <= 0 || `the page is ${overflow} px wider than the ${width} px window (sideways scrolling)`;
				});
				if (kind === 'exercise') {
					await check(`a 0-10 scale is one row of eleven cells at ${width} px`, async () => {
						const rows = await page.$$eval('.field .options', (os) => os
							.filter((o) => o.querySelectorAll('label.option').length === 11)
							.map((o) => new Set([...o.querySelectorAll('label.option')].map((l) => Math.round(l.getBoundingClientRect().top))).size));
						return (rows.length >= 1 && rows.every((n) => n === 1)) || `rows per 0-10 scale: ${JSON.stringify(rows)}`;
					});
				}
			}
		}
		await check('keyboard: PHQ-9 filled in and sent with the keyboard alone shows total 11, its band and the alert', () => phq9ByKeyboard(page, dep));
	} finally {
		await page.close();
	}
}

export async function preview(browser) {
	if (!STEGC || !EX) throw new Error('STEGC and EX must be set (tests/lib.sh does)');
	const servers = {};
	let t0 = Date.now();
	const lap = (what) => { diag(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`); t0 = Date.now(); };
	try {
		for (const ex of EXAMPLES) {
			await check(`stegc preview examples/${ex} prints the URL to open`, async () => {
				servers[ex] = await startPreview(path.join(EX, ex));
				return /^http:\/\/127\.0\.0\.1:\d+\/$/.test(servers[ex].url) || `URL ${servers[ex].url}`;
			});
		}
		lap('servers started');
		// One tab per example, the three crawled side by side.
		const found = {};
		await Promise.all(EXAMPLES.filter((ex) => servers[ex]).map(async (ex) => {
			const page = await browser.newPage();
			const w = watch(page);
			const parts = programParts(path.join(EX, ex));
			found[ex] = await crawl(page, w, servers[ex].url, ex, parts);
			// Each module's pages are 1..N, every one reached from the others.
			const gaps = parts.modules.filter((m) => {
				const ns = [...new Set(found[ex].modulePages[m] || [])].sort((x, y) => x - y);
				return ns.length === 0 || ns[ns.length - 1] !== ns.length;
			});
			ok(gaps.length === 0, `${ex}: every page of every module was visited, numbered 1..N`,
				gaps.map((m) => `${m}: pages ${JSON.stringify(found[ex].modulePages[m] || [])}`).join('\n'));
			await page.close();
		}));
		lap('every page loaded');
		if (servers.depression) await forms(browser, servers.depression.url);
		lap('forms');
		await exercises(browser, servers);
		lap('exercises');
		await keyPages(browser, servers, found);
		lap('axe, keyboard, screenshots');
	} finally {
		for (const [ex, s] of Object.entries(servers)) {
			const r = await stopServer(s.proc);
			const out = s.proc.output || '';
			ok(!/AddressSanitizer|LeakSanitizer|runtime error:/.test(out) && r.code === 0,
				`stegc preview examples/${ex} stops on SIGTERM with exit 0 and no sanitizer report`,
				`exit ${r.code ?? r.sig}\n${out.slice(-3000)}`);
		}
	}
}
