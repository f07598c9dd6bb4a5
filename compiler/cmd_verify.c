/*
 * cmd_verify.c — `stegc verify BUNDLE [--pubkey FILE]`: every check a
 * receiving region makes before it believes a bundle, from the command
 * line, so that CI and publishers see what an import would say.
 *
 * The checks themselves are st_bundle_open's (core/bundle_read.c: zip
 * safety, schemas, the set of entries, every size and SHA-256), then the
 * program's own checks again (core/check.h), as `steg import` does.  With
 * --pubkey the signature over manifest.xml is checked with that key, and
 * its trusted comment must name this bundle: kind=bundle, the manifest's
 * id, version and producer, and an expiry that has not passed.  Without
 * --pubkey a signature is reported but not checked, and the output says
 * so: a verify that looks green must not hide an unchecked signature.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bundle.h"
#include "check.h"
#include "commands.h"
#include "sign.h"

static void usage(FILE *f)
{
	fputs("usage: stegc verify [OPTIONS] BUNDLE\n\n"
	      "Verify a bundle: zip safety, schemas, every entry's size and SHA-256\n"
	      "against manifest.xml, and with --pubkey the signature.\n\n"
	      "Options:\n"
	      "  --pubkey FILE             check manifest.xml.minisig with this public\n"
	      "                            key (minisign format); the signature must\n"
	      "                            name this program, version and producer and\n"
	      "                            must not have expired\n"
	      "  --format FORMAT           how to report findings: text, brief,\n"
	      "                            json or sarif (as for stegc check)\n"
	      "  -q, --quiet               print nothing when the bundle is fine\n\n"
	      "Exit codes: 0 the bundle is fine, 1 it is not, 2 usage, 3 I/O.\n", f);
}

int cmd_verify(int argc, char **argv)
{
	sc_cli cli;
	const char *path = NULL, *pubkey = NULL;
	int npos;
	st_opt opts[] = {
		ST_VALUE("--pubkey", &pubkey),
		{ NULL },
	};
	int early = sc_parse(argc, argv, "verify", opts, &cli, &path, 1, &npos,
	                     usage);
	if (early != ST_CONTINUE)
		return early;
	if (!npos) {
		usage(stderr);
		return EXIT_USAGE;
	}

	st_diags *d = sc_cli_diags(&cli);
	st_bundle *b = NULL;
	int io = 0;
	char keyid[17] = "";
	int rc = st_bundle_open(&b, d, path);
	if (rc == ST_EIO)
		io = 1;
	/* As `steg import` does: the program is not trusted to have been
	 * compiled by stegc, so its expressions, bands and unlock rules are
	 * checked again. */
	st_arena *a = st_arena_new();
	if (b)
		st_check_program(a, d, (st_program *)st_bundle_program(b));
	size_t siglen = 0;
	const char *sig = b ? st_bundle_signature(b, &siglen) : NULL;
	if (sig) {
		uint8_t kid[8];
		if (st_sig_keyid(kid, sig, siglen) == 0)
			st_keyid_hex(keyid, kid);
	}
	if (b && pubkey) {
		st_span sp = { path, 0, 0, 0, 0 };
		st_pubkey pk;
		st_sig_claims claims;
		size_t mlen = 0;
		const char *mxml = st_bundle_manifest_xml(b, &mlen);
		rc = st_pubkey_load(&pk, d, pubkey);
		if (rc == ST_EIO || rc == ST_ENOENT)
			io = 1;
		else if (rc == ST_OK && !sig)
			st_diag(d, ST_ERROR, "bundle-unsigned", sp,
			        "the bundle is not signed (no entry 'manifest.xml.minisig')");
		else if (rc == ST_OK &&
		         st_verify(&claims, d, &pk, mxml, mlen, sig, siglen) == ST_OK) {
			/* The signature's claims must be about this bundle. */
			const st_manifest *m = st_bundle_manifest_info(b);
			st_bundle_claims_check(d, path, &claims, m->id, m->version,
			                       m->producer_id, (long long)time(NULL));
		}
	}
	int ret = sc_cli_finish(&cli, d);
	if (io)
		ret = EXIT_IO;
	if (ret == EXIT_CLEAN && b && !cli.quiet) {
		/* JSON and SARIF own stdout; the verdict then goes to stderr. */
		FILE *f = !sc_cli_machine(&cli) ? stdout : stderr;
		size_t n = st_bundle_nentries(b) + 1 + (sig ? 1 : 0);
		if (!sig)
			fprintf(f, "%s: ok (%zu entries, unsigned)\n", path, n);
		else if (pubkey)
			fprintf(f, "%s: ok (%zu entries, signed by %s)\n", path, n, keyid);
		else
			fprintf(f, "%s: ok (%zu entries, signed by %s, signature not checked: "
			        "give --pubkey)\n", path, n, keyid[0] ? keyid : "an unknown key");
	}
	st_bundle_free(b);
	st_arena_free(a);
	st_diags_free(d);
	return ret;
}
