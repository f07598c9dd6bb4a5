/*
 * cmd_sign.c — `stegc sign`: sign a bundle's manifest.xml in place.
 *
 *   stegc sign BUNDLE --key KEY [--expires DAYS] [--publisher HSA-ID]
 *              [--unencrypted] [--passphrase-env VAR | --passphrase-file F]
 *
 * The bundle is verified first (every check of `stegc verify` except the
 * signature), so that nobody signs a damaged bundle; then the key is
 * opened, manifest.xml — the exact stored bytes — is signed with the
 * claims "steg kind=bundle publisher=P id=I version=V expires=T" as
 * trusted comment (docs/signatures.md), and manifest.xml.minisig is put
 * into the bundle atomically, every other entry unchanged.  The expiry
 * follows build --sign's rule (keyopts.h sc_sign_expiry), so that signing
 * afterwards gives the bundle a signed build gives.  The publisher
 * defaults to the program's producer HSA-id.  The new signature is checked
 * against the key's public half before the bundle is touched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "commands.h"
#include "keyopts.h"
#include "sign.h"
#include "util.h"

static const char usage_text[] =
	"usage: stegc sign BUNDLE --key KEY [--expires DAYS] [--publisher HSA-ID]\n"
	"                  [--unencrypted]\n"
	"                  [--passphrase-env VAR | --passphrase-file FILE]\n"
	"\n"
	"Sign BUNDLE's manifest.xml with the secret key KEY (minisign format)\n"
	"and store the signature in the bundle as manifest.xml.minisig.\n"
	"The signature's trusted comment names the publisher (default: the\n"
	"program's producer), the program id and version, and an expiry\n"
	"DAYS (default 365) from SOURCE_DATE_EPOCH when it is set, else from\n"
	"now, as for 'stegc build --sign'; after it, importing regions refuse\n"
	"the signature.  An unencrypted key is used only with --unencrypted.\n";

int cmd_sign(int argc, char **argv)
{
	sc_keyopts ko = { 0 };
	const char *path = NULL, *key = NULL, *publisher = NULL;
	long days = SC_SIGN_DEFAULT_DAYS;
	st_diags *d = st_diags_new();
	st_bundle *b = NULL;
	char *sig = NULL;
	size_t siglen = 0, mlen;
	int ret = EXIT_IO, rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int t = sc_keyopts_take(&ko, argc, argv, &i);
		if (t < 0) {
			ret = EXIT_USAGE;
			goto done;
		}
		if (t > 0)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			ret = EXIT_CLEAN;
			goto done;
		}
		if (!strcmp(a, "--key") || !strcmp(a, "--expires") ||
		    !strcmp(a, "--publisher")) {
			if (++i >= argc) {
				fprintf(stderr, "stegc: error: option '%s' needs a "
				        "value\n", a);
				ret = EXIT_USAGE;
				goto done;
			}
			if (!strcmp(a, "--key"))
				key = argv[i];
			else if (!strcmp(a, "--publisher"))
				publisher = argv[i];
			else if (sc_parse_days(&days, argv[i]) != 0) {
				fprintf(stderr, "stegc: error: '--expires' takes a "
				        "number of days from 1 to 36600, not '%s'\n",
				        argv[i]);
				ret = EXIT_USAGE;
				goto done;
			}
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "stegc: error: unknown option '%s'\n%s", a,
			        usage_text);
			ret = EXIT_USAGE;
			goto done;
		} else if (!path) {
			path = a;
		} else {
			fprintf(stderr, "stegc: error: one bundle at a time "
			        "('%s' and '%s')\n", path, a);
			ret = EXIT_USAGE;
			goto done;
		}
	}
	if (!path || !key) {
		fprintf(stderr, "stegc: error: %s\n%s", !path ?
		        "which bundle? give BUNDLE" : "which key? give --key KEY",
		        usage_text);
		ret = EXIT_USAGE;
		goto done;
	}

	rc = st_bundle_open(&b, d, path);
	if (rc != ST_OK) {
		sc_print_findings(d);
		ret = rc == ST_ERR ? EXIT_ERRORS : EXIT_IO;
		goto done;
	}
	const st_program *prog = st_bundle_program(b);
	if (!publisher)
		publisher = prog->producer_id;
	const char *manifest = st_bundle_manifest_xml(b, &mlen);
	rc = sc_sign_manifest(&sig, &siglen, d, key, &ko, publisher, prog->id,
	                      prog->version, days, manifest, mlen);
	if (rc == ST_OK)
		rc = st_bundle_set_signature(d, path, sig, siglen);
	if (rc != ST_OK) {
		sc_print_findings(d);
		ret = rc == ST_ERR ? EXIT_ERRORS : EXIT_IO;
		goto done;
	}
	sc_print_findings(d);       /* warnings: a key open to all */
	{
		uint8_t kid[8];
		char id[17];
		st_sig_keyid(kid, sig, siglen);
		st_keyid_hex(id, kid);
		printf("signed %s@%s for %s with key %s, valid for %ld days\n",
		       prog->id, prog->version, publisher, id, days);
	}
	ret = EXIT_CLEAN;
done:
	free(sig);
	st_bundle_free(b);
	st_diags_free(d);
	return ret;
}
