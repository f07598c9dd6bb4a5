/*
 * cmd_keygen.c — `stegc keygen`: make an Ed25519 key pair in minisign's
 * format (core/sign.h).
 *
 *   stegc keygen [-o BASENAME] [--unencrypted]
 *                [--passphrase-env VAR | --passphrase-file FILE]
 *                [--kdf sensitive|interactive] [--force]
 *
 * BASENAME.key is the secret key, encrypted with a passphrase unless
 * --unencrypted is given, created 0600 and atomically; BASENAME.pub is the
 * public key that partner regions add with `steg trust add`.  Existing
 * files are never replaced without --force.  Nothing secret is printed.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "keyopts.h"
#include "sign.h"
#include "util.h"

static const char usage_text[] =
	"usage: stegc keygen [-o BASENAME] [--unencrypted]\n"
	"                    [--passphrase-env VAR | --passphrase-file FILE]\n"
	"                    [--kdf sensitive|interactive] [--force]\n"
	"\n"
	"Make an Ed25519 key pair in minisign's format: BASENAME.key (secret,\n"
	"encrypted with a passphrase, mode 0600) and BASENAME.pub (public).\n"
	"BASENAME defaults to 'steg'.  The passphrase is asked on the terminal\n"
	"unless --passphrase-env or --passphrase-file names where it is.\n"
	"--kdf interactive makes the key faster to open (16 MiB of scrypt\n"
	"instead of minisign's 1 GiB); use it only for short-lived keys.\n";

int cmd_keygen(int argc, char **argv)
{
	sc_keyopts ko = { 0 };
	const char *base = "steg";
	int force = 0, kdf = ST_KDF_SENSITIVE, rc;
	st_diags *d = NULL;
	st_pubkey pub;
	char id[17];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int t = sc_keyopts_take(&ko, argc, argv, &i);
		if (t < 0)
			return EXIT_USAGE;
		if (t > 0)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			return EXIT_CLEAN;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (++i >= argc) {
				fprintf(stderr, "stegc: error: option '%s' needs a "
				        "value\n", a);
				return EXIT_USAGE;
			}
			base = argv[i];
		} else if (!strcmp(a, "--force")) {
			force = 1;
		} else if (!strcmp(a, "--kdf")) {
			if (++i >= argc) {
				fprintf(stderr, "stegc: error: option '--kdf' needs "
				        "a value\n");
				return EXIT_USAGE;
			}
			if (!strcmp(argv[i], "sensitive"))
				kdf = ST_KDF_SENSITIVE;
			else if (!strcmp(argv[i], "interactive"))
				kdf = ST_KDF_INTERACTIVE;
			else {
				fprintf(stderr, "stegc: error: '--kdf' is "
				        "'sensitive' or 'interactive', not '%s'\n",
				        argv[i]);
				return EXIT_USAGE;
			}
		} else {
			fprintf(stderr, "stegc: error: unknown argument '%s'\n%s",
			        a, usage_text);
			return EXIT_USAGE;
		}
	}
	if (!*base) {
		fprintf(stderr, "stegc: error: the base name is empty\n");
		return EXIT_USAGE;
	}
	if (ko.unencrypted && (ko.pass_env || ko.pass_file)) {
		fprintf(stderr, "stegc: error: --unencrypted takes no "
		        "passphrase\n");
		return EXIT_USAGE;
	}
	if (ko.pass_env && ko.pass_file) {
		fprintf(stderr, "stegc: error: give --passphrase-env or "
		        "--passphrase-file, not both\n");
		return EXIT_USAGE;
	}
	d = st_diags_new();
	rc = st_keygen(&pub, d, base, ko.pass_env, ko.pass_file,
	               ko.unencrypted, kdf, force);
	if (rc != ST_OK) {
		sc_print_findings(d);
		st_diags_free(d);
		return rc == ST_ERR ? EXIT_ERRORS : EXIT_IO;
	}
	sc_print_findings(d);       /* warnings: a passphrase file open to all */
	st_diags_free(d);
	st_keyid_hex(id, pub.keyid);
	printf("secret key: %s.key%s\npublic key: %s.pub\nkey id: %s\n",
	       base, ko.unencrypted ? " (not encrypted)" : "", base, id);
	return EXIT_CLEAN;
}
