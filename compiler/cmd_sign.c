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

static void usage(FILE *f)
{
	fputs(usage_text, f);
}

/* The command line: ST_CONTINUE or the exit code to return. */
static int parse_args(int argc, char **argv, const char **path,
                      const char **key, const char **publisher, long *days,
                      sc_keyopts *ko)
{
	const char *expires = NULL;
	int npos, rc;
	st_opt opts[] = {
		ST_VALUE("--key", key),
		ST_VALUE("--expires", &expires),
		ST_VALUE("--publisher", publisher),
		SC_KEYOPTS_ROWS(ko),
		{ NULL },
	};

	rc = sc_parse(argc, argv, "sign", opts, NULL, path, 1, &npos, usage);
	if (rc != ST_CONTINUE)
		return rc;
	if (expires && sc_parse_days(days, expires) != 0)
		return sc_usage_error("sign", "'--expires' takes a number of days "
		                      "from 1 to 36600, not '%s'", expires);
	if (!npos || !*key) {
		sc_fail("%s", !npos ? "which bundle? give BUNDLE" :
		        "which key? give --key KEY");
		usage(stderr);
		return EXIT_USAGE;
	}
	return ST_CONTINUE;
}

int cmd_sign(int argc, char **argv)
{
	sc_keyopts ko = { 0 };
	const char *path = NULL, *key = NULL, *publisher = NULL;
	long days = SC_SIGN_DEFAULT_DAYS;
	st_diags *d = NULL;
	st_bundle *b = NULL;
	char *sig = NULL;
	size_t siglen = 0, mlen;
	int ret, rc;

	ret = parse_args(argc, argv, &path, &key, &publisher, &days, &ko);
	if (ret != ST_CONTINUE)
		return ret;
	d = st_diags_new();
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
