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
	"usage: stegc keygen [-o|--output BASENAME] [--unencrypted]\n"
	"                    [--passphrase-env VAR | --passphrase-file FILE]\n"
	"                    [--kdf sensitive|interactive] [--force]\n"
	"\n"
	"Make an Ed25519 key pair in minisign's format: BASENAME.key (secret,\n"
	"encrypted with a passphrase, mode 0600) and BASENAME.pub (public).\n"
	"BASENAME defaults to 'steg'.  The passphrase is asked on the terminal\n"
	"unless --passphrase-env or --passphrase-file names where it is.\n"
	"--kdf interactive makes the key faster to open (16 MiB of scrypt\n"
	"instead of minisign's 1 GiB); use it only for short-lived keys.\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
}

int cmd_keygen(int argc, char **argv)
{
	sc_keyopts ko = { 0 };
	const char *base = NULL, *kdf_name = NULL;
	int force = 0, kdf = ST_KDF_SENSITIVE, npos, rc;
	st_diags *d = NULL;
	st_pubkey pub;
	char id[17];
	st_opt opts[] = {
		{ .name = "--output", .alias = "-o", .kind = ST_OPT_VALUE,
		  .value = &base },
		ST_FLAG("--force", &force),
		ST_VALUE("--kdf", &kdf_name),
		SC_KEYOPTS_ROWS(&ko),
		{ NULL },
	};

	rc = sc_parse(argc, argv, "keygen", opts, NULL, NULL, 0, &npos, usage);
	if (rc != ST_CONTINUE)
		return rc;
	if (!base)
		base = "steg";
	if (kdf_name && !strcmp(kdf_name, "interactive"))
		kdf = ST_KDF_INTERACTIVE;
	else if (kdf_name && strcmp(kdf_name, "sensitive"))
		return sc_usage_error("keygen", "'--kdf' is 'sensitive' or "
		                      "'interactive', not '%s'", kdf_name);
	if (!*base)
		return sc_usage_error("keygen", "the base name is empty");
	if (ko.unencrypted && (ko.pass_env || ko.pass_file))
		return sc_usage_error("keygen", "--unencrypted takes no passphrase");
	if (ko.pass_env && ko.pass_file)
		return sc_usage_error("keygen", "give --passphrase-env or "
		                      "--passphrase-file, not both");
	d = st_diags_new();
	st_passphrase pass = sc_keyopts_passphrase(&ko);
	rc = st_keygen(&pub, d, base, &pass, ko.unencrypted, kdf, force);
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
