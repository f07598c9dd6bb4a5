// tests/browser/certproof.mjs: the client-certificate login works in this
// chromium before steg serve is asked to use it.  Against openssl s_server
// requiring a client certificate (-Verify 1, from scripts/demo-certs.sh's
// CA), a chromium whose NSS database holds a user's PKCS#12 file and whose
// profile auto-selects it must reach the page, and the server must see
// that user's HSA-id in the serialNumber; the same chromium without the
// auto-select setting must not (it would wait for a dialog), so the test
// shows which of the two pieces does the work.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { check } from './lib.mjs';
import { launchAs, sServer, caCN } from './clientcert.mjs';

export async function certproof(certs, user, scratch) {
	const { port, proc } = await sServer(certs);
	const origin = `https://localhost:${port}`;
	const ca = path.join(certs, 'ca.pem');
	const p12 = path.join(certs, `${user}.p12`);
	try {
		for (const auto of [true, false]) {
			const home = mkdtempSync(path.join(scratch, 'home-'));
			const b = await launchAs({ home, caPem: ca, p12, p12pass: 'demo',
				origins: auto ? [origin] : [], issuerCN: caCN(ca) });
			try {
				if (auto) {
					await check(`client certificate: the NSS database of the temporary HOME holds the CA and ${user}`, async () =>
						(/steg-demo-ca\s+C,,/.test(b.nssList) && b.nssList.includes(`${user} `)) || b.nssList);
					await check(`client certificate: chromium presents ${user}'s certificate to s_server -Verify 1 without a dialog`, async () => {
						const page = await b.newPage();
						const r = await page.goto(origin + '/', { timeout: 20000 });
						const t = await page.evaluate(() => document.body.innerText);
						return (r.status() === 200 && t.includes('Client certificate') &&
							t.includes(`serialNumber=${user}`)) || `status ${r.status()}:\n${t.slice(0, 2000)}`;
					});
				} else {
					await check('client certificate: without the auto-select setting chromium does not get the page (a dialog would ask)', async () => {
						const page = await b.newPage();
						try {
							await page.goto(origin + '/', { timeout: 4000 });
						} catch (e) {
							return /timeout|ERR_/i.test(e.message) || e.message;
						}
						return 'the page loaded without the setting: the test would not show that the setting selects the certificate';
					});
				}
			} finally {
				await b.close();
			}
		}
	} finally {
		proc.kill('SIGTERM');
	}
}
