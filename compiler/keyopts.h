/*
 * keyopts.h — what `stegc keygen`, `stegc sign` and `stegc build --sign`
 * share: the passphrase options and printing key and signature findings.
 *
 * Key and signature problems are not about a line of a source file, so
 * they print as "stegc: error: MESSAGE [CODE]" rather than with a
 * file:line:col location.
 */
#ifndef SC_KEYOPTS_H
#define SC_KEYOPTS_H

#include "diag.h"
#include "opts.h"
#include "passphrase.h"

typedef struct sc_keyopts {
	const char *pass_env;       /* --passphrase-env VAR */
	const char *pass_file;      /* --passphrase-file FILE */
	int unencrypted;            /* --unencrypted */
} sc_keyopts;

/* The rows of the passphrase options, for a command's option table
 * (core/opts.h): SC_KEYOPTS_ROWS(&o) fills the sc_keyopts o. */
#define SC_KEYOPTS_ROWS(o) \
	ST_VALUE("--passphrase-env", &(o)->pass_env), \
	ST_VALUE("--passphrase-file", &(o)->pass_file), \
	ST_FLAG("--unencrypted", &(o)->unencrypted)

/* Where the passphrase comes from per o: --passphrase-env,
 * --passphrase-file, else the terminal (core/term.h). */
st_passphrase sc_keyopts_passphrase(const sc_keyopts *o);

/* Print every finding on stderr in the brief form (core/diag.h), one line
 * each: "stegc: LEVEL: MESSAGE [CODE]" when it names no file, else
 * "FILE[:LINE[:COL]]: LEVEL: ...".  Returns the number of errors. */
int sc_print_findings(const st_diags *d);

/* --expires DAYS: 1 to 36600.  0 on success. */
#define SC_SIGN_DEFAULT_DAYS 365
int sc_parse_days(long *days, const char *s);

/* The expiry of a signature made now that lives days: counted from
 * SOURCE_DATE_EPOCH when it is set (st_source_date_epoch), else from now,
 * so that a signed build is reproducible.  An expiry that has already
 * passed is refused (ST_ERR, bundle-signature-expired). */
int sc_sign_expiry(long long *expires, st_diags *d, long days);

/* Open the secret key at keypath (passphrase per o) and sign manifest
 * (the exact manifest.xml bytes) as bundle id@version for publisher,
 * expiring per sc_sign_expiry; the signature is checked against the key's
 * public half before it is returned.  *sig is the .minisig text
 * (malloc'd).  For `stegc sign` and `stegc build --sign`: the builder
 * passes the result as st_bundle_write_opts.signature.  Returns 0 or an
 * ST_E* code after adding findings to d. */
int sc_sign_manifest(char **sig, size_t *siglen, st_diags *d,
                     const char *keypath, const sc_keyopts *o,
                     const char *publisher, const char *id,
                     const char *version, long days,
                     const char *manifest, size_t len);

#endif
