/*
 * passphrase.c — a secret key's passphrase from the environment, a file's
 * first line or the binary's prompt (passphrase.h), into locked memory.
 */
#include "passphrase.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minisign.h"
#include "util.h"

static int from_env(char *buf, st_diags *d, const char *env)
{
	const char *v = getenv(env);
	if (!v) {
		st_diag(d, ST_ERROR, "key-passphrase", st_nowhere(),
		        "environment variable '%s' is not set", env);
		return ST_ERR;
	}
	if (strlen(v) > ST_PASSPHRASE_MAX) {
		st_diag(d, ST_ERROR, "key-passphrase", st_nowhere(),
		        "the passphrase in '%s' is longer than %d bytes",
		        env, ST_PASSPHRASE_MAX);
		return ST_ERR;
	}
	memcpy(buf, v, strlen(v) + 1);
	return ST_OK;
}

static int from_file(char *buf, st_diags *d, const char *file,
                     unsigned *file_mode)
{
	char *text = NULL, why[128] = "";
	size_t len = 0;
	int rc = st_ms_read_locked(&text, &len, file, MS_FILE_MAX, why,
	                           sizeof why, file_mode);
	if (rc != ST_OK) {
		st_diag(d, ST_ERROR, "key-passphrase", st_nowhere(),
		        "cannot read passphrase file '%s': %s", file, why);
		return rc;
	}
	size_t l = strcspn(text, "\n");
	if (l && text[l - 1] == '\r')
		l--;
	if (l > ST_PASSPHRASE_MAX) {
		st_diag(d, ST_ERROR, "key-passphrase", st_nowhere(),
		        "the passphrase in '%s' is longer than %d bytes",
		        file, ST_PASSPHRASE_MAX);
		rc = ST_ERR;
	} else {
		memcpy(buf, text, l);
		buf[l] = 0;
	}
	sodium_free(text);
	return rc;
}

/* Ask src->ask, twice when confirm; what names the key. */
static int from_prompt(char *buf, st_diags *d, const char *what,
                       const st_passphrase *src, int confirm)
{
	char prompt[512];
	char *again = NULL;
	int rc = ST_ENOENT;

	snprintf(prompt, sizeof prompt, "passphrase for %s: ", what);
	if (src->ask)
		rc = src->ask(src->ask_ctx, prompt, buf, ST_PASSPHRASE_MAX + 1);
	if (rc == ST_ENOENT) {
		st_diag(d, ST_ERROR, "key-passphrase", st_nowhere(),
		        "no terminal to ask for the passphrase of %s; use "
		        "--passphrase-env VAR or --passphrase-file FILE", what);
		return ST_ERR;
	}
	if (rc == ST_OK && confirm) {
		again = sodium_malloc(ST_PASSPHRASE_MAX + 1);
		if (!again) {
			rc = ST_EIO;
		} else {
			rc = src->ask(src->ask_ctx, "the same passphrase again: ",
			              again, ST_PASSPHRASE_MAX + 1);
			if (rc == ST_OK && strcmp(buf, again)) {
				st_diag(d, ST_ERROR, "key-passphrase", st_nowhere(),
				        "the two passphrases differ");
				rc = ST_ERR;
			}
			sodium_free(again);
			if (rc == ST_ERR)
				return rc;
		}
	}
	if (rc == ST_ETOOBIG)
		st_diag(d, ST_ERROR, "key-passphrase", st_nowhere(),
		        "the passphrase is longer than %d bytes",
		        ST_PASSPHRASE_MAX);
	else if (rc != ST_OK)
		st_diag(d, ST_ERROR, "key-passphrase", st_nowhere(),
		        "no passphrase was read from the terminal");
	return rc;
}

int st_passphrase_get(char *buf, st_diags *d, const char *what,
                      const st_passphrase *src, int confirm,
                      unsigned *file_mode)
{
	int rc;

	buf[0] = 0;
	if (src->env && src->file) {
		st_diag(d, ST_ERROR, "key-passphrase", st_nowhere(),
		        "give the passphrase either from the environment or "
		        "from a file, not both");
		return ST_ERR;
	}
	if (src->env)
		rc = from_env(buf, d, src->env);
	else if (src->file)
		rc = from_file(buf, d, src->file, file_mode);
	else
		rc = from_prompt(buf, d, what, src, confirm);
	if (rc == ST_OK && !buf[0]) {
		st_diag(d, ST_ERROR, "key-passphrase", st_nowhere(),
		        "the passphrase for %s is empty", what);
		rc = ST_ERR;
	}
	if (rc != ST_OK)
		sodium_memzero(buf, ST_PASSPHRASE_MAX + 1);
	return rc;
}
