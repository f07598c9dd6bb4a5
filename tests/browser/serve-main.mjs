// tests/browser/serve-main.mjs: the browser tests of steg serve, as TAP.
// Run by tests/t0940-serve-browser.sh; see docs/serve.md.
//   node tests/browser/serve-main.mjs CERTDIR USER [serve]
// CERTDIR is a folder made by scripts/demo-certs.sh, USER an HSA-id with a
// certificate there.  Each user gets a chromium of its own (the browser's
// NSS database is the user's identity), so there is no shared browser.
import { done, ok } from './lib.mjs';
import { certproof } from './certproof.mjs';

const [certs, user, ...parts] = process.argv.slice(2);
const t0 = Date.now();
try {
	await certproof(certs, user, process.cwd());
	if (parts.includes('serve')) {
		const { serve } = await import('./serve.mjs');
		await serve(certs, process.cwd());
	}
} catch (e) {
	ok(false, 'the browser tests ran to the end', e && e.stack ? e.stack : String(e));
}
console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(done() ? 0 : 1);
