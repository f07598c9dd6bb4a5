// tests/browser/lib.mjs: the pieces every browser test uses.  TAP output,
// one Debian chromium for the whole run (puppeteer-core), servers started
// as child processes and waited for on the URL they print, pages watched
// for console errors and failed requests, axe-core, keyboard reach.
import { spawn } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);

// ---- TAP ---------------------------------------------------------------
let count = 0;
let failed = 0;

export function ok(cond, what, detail) {
	count++;
	if (cond) {
		console.log(`ok ${count} - ${what}`);
	} else {
		failed++;
		console.log(`not ok ${count} - ${what}`);
		if (detail !== undefined && detail !== '') {
			const text = typeof detail === 'string' ? detail : JSON.stringify(detail, null, 1);
			for (const line of text.split('\n').slice(0, 40)) console.log(`#   ${line}`);
		}
	}
	return cond;
}

export function diag(text) {
	for (const line of String(text).split('\n')) console.log(`# ${line}`);
}

// Run one named check: an exception is a failed assertion, not a crash
// that loses the rest of the run.
export async function check(what, fn) {
	try {
		const r = await fn();
		if (r === true || r === undefined) return ok(true, what);
		return ok(false, what, r);
	} catch (e) {
		return ok(false, what, e && e.stack ? e.stack : String(e));
	}
}

export function done() {
	console.log(`1..${count}`);
	return failed === 0;
}

// ---- the browser ---------------------------------------------------------
// Flags: root needs --no-sandbox; the background-networking flags keep
// chromium from reaching for hosts this machine cannot reach.
export async function launch() {
	const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
	return puppeteer.launch({
		executablePath,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update',
			'--disable-sync', '--disable-dev-shm-usage', '--font-render-hinting=none'],
	});
}

// ---- servers -------------------------------------------------------------
// Every server still running when node exits, however it exits, is killed.
const running = new Set();
process.on('exit', () => { for (const p of running) p.kill('SIGKILL'); });
// Start a server and resolve with { url, proc } once it prints an http URL
// on stdout or stderr: the printed line is the synchronisation, no sleep.
// Rejects when the process exits first or prints no URL within `ms`.
export function startServer(cmd, args, opts = {}) {
	const ms = opts.timeout || 20000;
	return new Promise((resolve, reject) => {
		const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env || process.env, cwd: opts.cwd });
		running.add(proc);
		let out = '';
		let settled = false;
		const timer = setTimeout(() => {
			if (settled) return;
			settled = true;
			proc.kill('SIGKILL');
			reject(new Error(`${cmd} ${args.join(' ')}: no URL within ${ms} ms; printed:\n${out}`));
		}, ms);
		const onData = (buf) => {
			out += buf.toString();
			proc.output = out;
			const m = out.match(/https?:\/\/[^\s'")]+/);
			if (m && !settled) {
				settled = true;
				clearTimeout(timer);
				resolve({ url: m[0].replace(/\/?$/, '/'), proc });
			}
		};
		proc.stdout.on('data', onData);
		proc.stderr.on('data', onData);
		proc.on('exit', (code, sig) => {
			running.delete(proc);
			proc.exited = { code, sig };
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			reject(new Error(`${cmd} ${args.join(' ')} exited (${code ?? sig}) before printing a URL:\n${out}`));
		});
	});
}

// Stop a server started above and wait until it is gone.
export function stopServer(proc) {
	return new Promise((resolve) => {
		if (proc.exited) return resolve(proc.exited);
		proc.on('exit', (code, sig) => resolve({ code, sig }));
		proc.kill('SIGTERM');
	});
}

// ---- watching a page -----------------------------------------------------
// Everything that went wrong while a page was loaded: console errors and
// warnings about the page itself, uncaught exceptions, failed requests and
// HTTP errors.  `take()` returns the list so far and empties it.
export function watch(page) {
	let problems = [];
	const pending = new Set();
	page.on('console', (msg) => {
		if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
	});
	page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
	page.on('request', (req) => pending.add(req));
	page.on('requestfinished', (req) => pending.delete(req));
	page.on('requestfailed', (req) => {
		pending.delete(req);
		const f = req.failure();
		// A navigation that replaced a pending request (e.g. a stream closed
		// by leaving the page) is not a failure of the page.
		if (f && f.errorText === 'net::ERR_ABORTED' && req.resourceType() === 'eventsource') return;
		problems.push(`request failed: ${req.url()} (${f ? f.errorText : '?'})`);
	});
	page.on('response', (res) => {
		if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
	});
	// Puppeteer may report a response after the page's load event (it
	// pairs each response with its extra-info event first), so a 404 seen
	// by chromium can reach us late.  settle() resolves once every request
	// but a stream has finished or failed, its events delivered; a request
	// still open after `ms` is itself a problem.
	const busy = () => [...pending].filter((r) => r.resourceType() !== 'eventsource');
	return {
		take() { const p = problems; problems = []; return p; },
		settle(ms = 10000) {
			return new Promise((resolve) => {
				const t0 = Date.now();
				const poll = () => {
					const left = busy();
					if (left.length === 0) return resolve();
					if (Date.now() - t0 > ms) {
						for (const r of left) problems.push(`request unfinished after ${ms} ms: ${r.url()}`);
						return resolve();
					}
					setTimeout(poll, 20);
				};
				poll();
			});
		},
	};
}

// Same-origin links of the page (absolute, without fragment).
export async function links(page) {
	return page.$$eval('a[href]', (as) => as.map((a) => {
		const u = new URL(a.href, document.baseURI);
		u.hash = '';
		return u.origin === location.origin ? u.href : null;
	}).filter(Boolean));
}

// ---- axe-core --------------------------------------------------------------
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// The WCAG 2.1 AA violations on the page now.  axe is evaluated through
// the DevTools protocol, which the page's Content-Security-Policy does not
// govern, so the page under test keeps its real policy.
export async function axe(page) {
	await page.evaluate(axeSource);
	const res = await page.evaluate(async (tags) => {
		const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
		return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`) }));
	}, WCAG_AA);
	return res;
}

export function formatViolations(vs) {
	return vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.join('\n  ')}`).join('\n');
}

// ---- keyboard --------------------------------------------------------------
// The visible, enabled controls of the page (a native control taken out of
// the tab order with tabindex="-1" stays in the list: it is unreachable),
// each named by a selector-like key, and the keys that pressing Tab (up to `limit` times) focuses.  A radio
// group is one tab stop: reaching any of its radios reaches the group.
const KEY_FN = `(el) => {
	if (el.type === 'radio' && el.name) return 'radio:' + el.name;
	if (el.id) return el.tagName.toLowerCase() + '#' + el.id;
	if (el.name) return el.tagName.toLowerCase() + '[name=' + el.name + ']';
	if (el.tagName === 'A') return 'a[href=' + el.getAttribute('href') + ']:' + el.textContent.trim().slice(0, 30);
	return el.tagName.toLowerCase() + ':' + el.textContent.trim().slice(0, 30);
}`;

export async function controls(page) {
	return page.evaluate(`(() => {
		const key = ${KEY_FN};
		const els = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, audio[controls], video[controls], [tabindex]:not([tabindex^="-"])')];
		const vis = (el) => {
			if (el.disabled || el.type === 'hidden') return false;
			if (el.closest('[hidden], [inert]')) return false;
			const r = el.getBoundingClientRect();
			const s = getComputedStyle(el);
			return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
		};
		return [...new Set(els.filter(vis).map(key))];
	})()`);
}

export async function tabOrder(page, limit = 400) {
	await page.evaluate(() => { document.activeElement && document.activeElement.blur && document.activeElement.blur(); window.scrollTo(0, 0); });
	const seen = [];
	for (let i = 0; i < limit; i++) {
		await page.keyboard.press('Tab');
		const k = await page.evaluate(`(() => { const el = document.activeElement; if (!el || el === document.body) return null; return (${KEY_FN})(el); })()`);
		if (k === null) { if (seen.length) break; else continue; }
		if (seen.length && k === seen[0]) break;
		seen.push(k);
	}
	return seen;
}

export function ensureDir(d) { mkdirSync(d, { recursive: true }); return d; }
