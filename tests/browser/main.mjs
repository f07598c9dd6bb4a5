// tests/browser/main.mjs: the browser tests, in one chromium, as TAP.
// Run by tests/t0870-preview-browser.sh; see docs/testing.md.
//   node tests/browser/main.mjs [selftest] [preview] [live]
import { launch, done, ok } from './lib.mjs';
import { selftest } from './selftest.mjs';
import { preview } from './preview.mjs';
import { live } from './live.mjs';

const parts = process.argv.slice(2);
const want = (p) => parts.length === 0 || parts.includes(p);
const t0 = Date.now();
let browser;
try {
	browser = await launch();
	if (want('selftest')) await selftest(browser);
	if (want('preview')) await preview(browser);
	if (want('live')) await live(browser);
} catch (e) {
	ok(false, 'the browser tests ran to the end', e && e.stack ? e.stack : String(e));
} finally {
	if (browser) await browser.close();
}
console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(done() ? 0 : 1);
