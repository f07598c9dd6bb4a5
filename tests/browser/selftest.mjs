// tests/browser/selftest.mjs: the detectors themselves can fail.  Static
// pages under fixtures/, served by python3's http.server, each carry one
// fault (a console error, a missing image, text of too little contrast, a
// button out of the tab order); the checks the preview tests rely on must
// see each fault and must find nothing on the clean page.
import { fileURLToPath } from 'node:url';
import { check, startServer, stopServer, watch, axe, controls, tabOrder, formatViolations } from './lib.mjs';

const FIX = fileURLToPath(new URL('./fixtures/', import.meta.url));

export async function selftest(browser) {
	const { url, proc } = await startServer('python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '-d', FIX, '0']);
	const page = await browser.newPage();
	const w = watch(page);
	const load = async (name) => {
		w.take();
		await page.goto(url + name, { waitUntil: 'load' });
		await w.settle();
		return w.take();
	};
	try {
		await check('self-test: a clean page shows no console error and no failed request', async () => {
			const p = await load('good.html');
			return p.length === 0 || p.join('\n');
		});
		await check('self-test: a console error is seen', async () => {
			const p = await load('console-error.html');
			return p.some((x) => x.includes('console error: ett fel i sidan')) || `seen: ${p.join('; ') || 'nothing'}`;
		});
		await check('self-test: a missing image is seen as a failed request', async () => {
			const p = await load('missing.html');
			return p.some((x) => x.includes('HTTP 404') && x.includes('finns-inte.png')) || `seen: ${p.join('; ') || 'nothing'}`;
		});
		await check('self-test: axe finds no WCAG 2.1 AA violation on the clean page', async () => {
			await load('good.html');
			const v = await axe(page);
			return v.length === 0 || formatViolations(v);
		});
		await check('self-test: axe finds the text of too little contrast', async () => {
			await load('contrast.html');
			const v = await axe(page);
			return v.some((x) => x.id === 'color-contrast') || `violations: ${v.map((x) => x.id).join(', ') || 'none'}`;
		});
		await check('self-test: Tab reaches every control of the clean page', async () => {
			await load('good.html');
			const want = await controls(page);
			const got = await tabOrder(page);
			const miss = want.filter((k) => !got.includes(k));
			return (want.length === 4 && miss.length === 0) || `controls ${JSON.stringify(want)}, reached ${JSON.stringify(got)}`;
		});
		await check('self-test: a button out of the tab order is found unreachable', async () => {
			await load('unreachable.html');
			const want = await controls(page);
			const got = await tabOrder(page);
			const miss = want.filter((k) => !got.includes(k));
			return (miss.length === 1 && miss[0].startsWith('button')) || `missed ${JSON.stringify(miss)}`;
		});
	} finally {
		await page.close();
		await stopServer(proc);
	}
}
