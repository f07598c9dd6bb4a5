// tests/browser/docshots.mjs: the pictures of docs/preview.md, taken of the
// real preview of examples/depression (not part of the suite).
//   STEGC=build/stegc node tests/browser/docshots.mjs [OUTDIR]
// writes OUTDIR (docs/img) /preview-phone-start.png, preview-phone-page.png
// and preview-desktop-form.png.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, startServer, stopServer, ensureDir } from './lib.mjs';

const SRC = fileURLToPath(new URL('../../', import.meta.url));
const STEGC = process.env.STEGC || path.join(SRC, 'build/stegc');
const out = ensureDir(process.argv[2] || path.join(SRC, 'docs/img'));
const { url, proc } = await startServer(STEGC, ['preview', '--port', '0', path.join(SRC, 'examples/depression')]);
const browser = await launch();
try {
	const page = await browser.newPage();
	const shot = async (rel, name, width, height, prepare) => {
		await page.setViewport({ width, height });
		await page.goto(new URL(rel, url).href);
		if (prepare) await prepare();
		await page.evaluate(() => { document.activeElement && document.activeElement.blur && document.activeElement.blur(); });
		await page.screenshot({ path: path.join(out, name) });
		console.log(path.join(out, name));
	};
	await shot('', 'preview-phone-start.png', 375, 740);
	await shot('m/intro/2', 'preview-phone-page.png', 375, 740);
	await shot('forms/phq9', 'preview-desktop-form.png', 1280, 800, async () => {
		const answers = { q1: 2, q2: 2, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 1, q9: 1 };
		for (const [k, v] of Object.entries(answers)) await page.click(`[name="${k}"][value="${v}"]`);
		await page.waitForSelector('aside.clinician [data-score="total"]');
		await page.evaluate(() => window.scrollTo(0, 0));
	});
} finally {
	await browser.close();
	await stopServer(proc);
}
