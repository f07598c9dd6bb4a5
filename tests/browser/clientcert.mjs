// tests/browser/clientcert.mjs: a chromium that logs in with a client
// certificate, without a dialog.  Chromium on Linux reads certificates and
// trust from the NSS database in $HOME/.pki/nssdb: a temporary HOME gets
// one (certutil, pk12util from libnss3-tools) holding the demo CA, trusted
// for servers, and one user's PKCS#12 file.  Which certificate to present
// is chromium's AutoSelectCertificateForUrls setting; a policy would need
// /etc/chromium/policies (the machine's, shared), so the same setting is
// written into the profile's preferences as the content-setting exception
// the policy would create: for the origin, the certificate whose issuer's
// CN is the demo CA's.  One HOME and one profile per user: the browser
// instance is the user.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

// A fresh NSS database in HOME/.pki/nssdb with the CA (trusted to issue
// server certificates: "C,,") and, when given, the user's PKCS#12 file.
export function nssProfile(home, caPem, p12, p12pass) {
	const db = path.join(home, '.pki', 'nssdb');
	mkdirSync(db, { recursive: true });
	const sql = `sql:${db}`;
	const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: home } });
	run('certutil', ['-N', '-d', sql, '--empty-password']);
	run('certutil', ['-A', '-d', sql, '-n', 'steg-demo-ca', '-t', 'C,,', '-i', caPem]);
	if (p12) run('pk12util', ['-i', p12, '-d', sql, '-W', p12pass, '-K', '']);
	return run('certutil', ['-L', '-d', sql]).toString();
}

// The profile's preferences: present the certificate issued by CN=issuerCN
// to every origin in `origins` without asking.
export function autoSelectPrefs(userDataDir, origins, issuerCN) {
	const exceptions = {};
	for (const o of origins) {
		exceptions[`${o},*`] = {
			last_modified: '13300000000000000',
			setting: { filters: [{ ISSUER: { CN: issuerCN } }] },
		};
	}
	const prefs = { profile: { content_settings: { exceptions: { auto_select_certificate: exceptions } } } };
	mkdirSync(path.join(userDataDir, 'Default'), { recursive: true });
	writeFileSync(path.join(userDataDir, 'Default', 'Preferences'), JSON.stringify(prefs));
}

// A chromium for one user: HOME holds the NSS database, the profile the
// auto-select setting.  `size` is the first window's width and height.
export async function launchAs({ home, caPem, p12, p12pass, origins, issuerCN, width = 1280, height = 900 }) {
	const list = nssProfile(home, caPem, p12, p12pass);
	const userDataDir = path.join(home, 'chromium-profile');
	autoSelectPrefs(userDataDir, origins, issuerCN);
	const browser = await puppeteer.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		userDataDir,
		env: { ...process.env, HOME: home },
		defaultViewport: { width, height },
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update',
			'--disable-sync', '--disable-dev-shm-usage', '--font-render-hinting=none'],
	});
	browser.nssList = list;
	return browser;
}

// openssl s_server requiring a client certificate (-Verify 1) and
// answering every request with a page naming it (-www).  Resolves with
// { port, proc } once it prints the address it listens on.
export function sServer(dir) {
	return new Promise((resolve, reject) => {
		const proc = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-naccept', '20',
			'-cert', path.join(dir, 'server.pem'), '-key', path.join(dir, 'server.key'),
			'-CAfile', path.join(dir, 'ca.pem'), '-Verify', '1', '-www'],
		{ stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`s_server printed no address:\n${out}`)); }, 15000);
		const onData = (b) => {
			out += b.toString();
			const m = out.match(/ACCEPT\s+\S+:(\d+)/);
			if (m) { clearTimeout(timer); resolve({ port: Number(m[1]), proc }); }
		};
		proc.stdout.on('data', onData);
		proc.stderr.on('data', onData);
		proc.on('exit', (c) => { clearTimeout(timer); reject(new Error(`s_server exited ${c}:\n${out}`)); });
	});
}

export function caCN(caPem) {
	const subj = execFileSync('openssl', ['x509', '-in', caPem, '-noout', '-subject', '-nameopt', 'RFC2253']).toString();
	const m = subj.match(/CN=([^,\n]+)/);
	return m ? m[1] : '';
}

export function readText(f) { return readFileSync(f, 'utf8'); }
