/*
 * cmd_build.c — `stegc build DIR`: check a program folder and, when it has
 * no errors, write its bundle (docs/bundle-format.md).
 *
 *   stegc build DIR [-o FILE] [--sign KEY [--expires DAYS] [passphrase
 *               options]] [--previous OLD] [--level N] [--self-check]
 *               [check's options]
 *
 * The findings are check's, rendered the same way; a bundle is written only
 * when there is no error, atomically, so that a failed build leaves the
 * previous bundle in place and no stray file.  With --sign the manifest is
 * signed before the bundle is written and the signature goes in as
 * manifest.xml.minisig.  Its expiry is counted from SOURCE_DATE_EPOCH when
 * that is set, else from now: Ed25519 is deterministic, so a signed build
 * is reproducible exactly when its expiry is.  With --previous the bundle
 * of the last release is verified, compared with the new program
 * (core/diff.h), and the new version must step far enough for the change.
 * With --self-check (or STEG_SELF_CHECK=1, which tests/lib.sh sets for the
 * whole suite) manifest.xml and program.xml are validated against the
 * schemas before the bundle goes into place; a release build leaves that
 * to the bundle's readers (docs/bundle-format.md, "The self-check").
 */
#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <time.h>

#include "bundle.h"
#include "commands.h"
#include "compile.h"
#include "diff.h"
#include "keyopts.h"
#include "sign.h"

static void usage(FILE *f)
{
	fputs("usage: stegc build [OPTIONS] DIR\n\n"
	      "Check a program folder and write its bundle (ID-VERSION.steg).\n\n"
	      "Options:\n"
	      "  -o, --output FILE         where to write the bundle (default\n"
	      "                            ID-VERSION.steg in the current folder)\n"
	      "  --sign KEY                sign manifest.xml with this secret key\n"
	      "  --expires DAYS            the signature's lifetime (default 365),\n"
	      "                            from SOURCE_DATE_EPOCH if set, else now\n"
	      "  --passphrase-env VAR, --passphrase-file FILE, --unencrypted\n"
	      "                            how to open the key (as for stegc sign)\n"
	      "  --previous OLD            the last released bundle: the new version\n"
	      "                            must step far enough for what changed\n"
	      "                            (major, minor or patch; see stegc diff)\n"
	      "  --level N                 deflate level for text entries, 1\n"
	      "                            (fastest, the default) to 9 (smallest)\n"
	      "  --self-check              validate manifest.xml and program.xml\n"
	      "                            against the schemas before the bundle\n"
	      "                            goes into place (also STEG_SELF_CHECK=1)\n"
	      "  --format FORMAT           how to report findings: text, brief,\n"
	      "                            json or sarif (as for stegc check)\n"
	      "  -Werror, -Wno-CODE, --lix-max N, --color WHEN  as for stegc check\n"
	      "  -q, --quiet               print nothing when all is well\n\n"
	      "Builds are reproducible: set SOURCE_DATE_EPOCH to fix the time\n"
	      "stamped into the bundle.\n\n"
	      "Exit codes: 0 written, 1 errors (nothing written), 2 usage, 3 I/O or\n"
	      "internal.\n", f);
}

struct build_args {
	const char *dir, *out, *key, *previous;
	long days;
	int level, self_check;
	sc_keyopts ko;
};

/* STEG_SELF_CHECK: unset, empty or 0 is off, 1 on; anything else is a
 * usage error rather than a guess.  ST_CONTINUE or the exit code. */
static int self_check_env(int *on)
{
	const char *v = getenv("STEG_SELF_CHECK");
	if (!v || !*v || !strcmp(v, "0"))
		return ST_CONTINUE;
	if (!strcmp(v, "1")) {
		*on = 1;
		return ST_CONTINUE;
	}
	return sc_usage_error("build", "STEG_SELF_CHECK must be 0 or 1, not '%s'", v);
}

/* The command line into ba (and the shared options into cli): ST_CONTINUE
 * or the exit code to return. */
static int parse_args(struct build_args *ba, sc_cli *cli, int argc,
                      char **argv)
{
	const char *days = NULL, *level = NULL;
	int npos, rc;
	st_opt opts[] = {
		{ .name = "--output", .alias = "-o", .kind = ST_OPT_VALUE,
		  .value = &ba->out },
		ST_VALUE("--sign", &ba->key),
		ST_VALUE("--expires", &days),
		ST_VALUE("--previous", &ba->previous),
		ST_VALUE("--level", &level),
		ST_FLAG("--self-check", &ba->self_check),
		SC_KEYOPTS_ROWS(&ba->ko),
		{ NULL },
	};

	memset(ba, 0, sizeof *ba);
	ba->days = SC_SIGN_DEFAULT_DAYS;
	rc = sc_parse(argc, argv, "build", opts, cli, &ba->dir, 1, &npos, usage);
	if (rc != ST_CONTINUE)
		return rc;
	if (npos != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (days && sc_parse_days(&ba->days, days) != 0)
		return sc_usage_error("build", "'--expires' takes a number of days "
		                      "from 1 to 36600, not '%s'", days);
	if (level) {
		char *end;
		long l = strtol(level, &end, 10);
		if (end == level || *end || l < 1 || l > 9)
			return sc_usage_error("build", "'--level' takes a number from 1 "
			                      "to 9, not '%s'", level);
		ba->level = (int)l;
	}
	if (!ba->key && (ba->ko.pass_env || ba->ko.pass_file || ba->ko.unencrypted))
		return sc_usage_error("build", "passphrase options need "
		                      "'--sign KEY'");
	return self_check_env(&ba->self_check);
}

/* --previous: the old bundle must verify and be the same program, and the
 * new version must step far enough for what changed (core/diff.h: a
 * changed item or band needs a major version, a new module a minor one).
 * Returns ST_EIO when the old bundle cannot be read. */
static int check_previous(st_diags *d, st_arena *a, const st_program *p,
                          const char *old)
{
	st_bundle *b = NULL;
	int rc = st_bundle_open(&b, d, old);
	if (rc != ST_OK)
		return rc;
	const st_program *q = st_bundle_program(b);
	st_span sp = p->version_sp;
	if (!sp.file)
		sp.file = "program.yaml";
	if (strcmp(q->id, p->id)) {
		st_diag(d, ST_ERROR, "previous-mismatch", sp,
		        "the previous bundle '%s' is program '%s', not '%s'", old,
		        q->id, p->id);
	} else {
		st_diff df;
		st_diff_programs(&df, a, q, b, p, NULL);
		st_diff_check_version(d, &df, q->version, p->version, sp);
	}
	st_bundle_free(b);
	return ST_OK;
}

/* Sign manifest.xml with the claims of this bundle: the same function and
 * expiry rule as `stegc sign` (keyopts.h), so that signing on the way and
 * signing afterwards give the same bytes. */
static int sign_manifest(char **sig, size_t *siglen, st_diags *d,
                         const struct build_args *ba, const st_program *p,
                         const char *xml, size_t len)
{
	return sc_sign_manifest(sig, siglen, d, ba->key, &ba->ko, p->producer_id,
	                        p->id, p->version, ba->days, xml, len);
}

int cmd_build(int argc, char **argv)
{
	sc_cli cli;
	struct build_args ba;
	int early = parse_args(&ba, &cli, argc, argv);
	if (early != ST_CONTINUE)
		return early;

#ifdef __GLIBC__
	/* zlib allocates and zeroes about 270 KB per deflated entry; with
	 * glibc's default trim threshold the heap then grows and shrinks with
	 * brk for every entry, which costs more than the compression
	 * (bench/baseline.c measured 0.95 s instead of 0.54 s at 1,000
	 * modules).  Keep freed memory for reuse instead. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
	sc_opts o;
	sc_cli_opts(&cli, &o);
	/* the pages' checksums made as their modules load (compile.h) */
	o.hash_pages = 1;
	st_arena *a = st_arena_new();
	st_diags *d = sc_cli_diags(&cli);
	st_program *p = NULL;
	char *manifest = NULL, *sig = NULL;
	size_t mlen = 0, siglen = 0;
	int io = 0, rc;

	sc_compile(&p, a, d, ba.dir, &o);
	if (!p || st_diags_errors(d))
		goto finish;
	if (ba.previous && check_previous(d, a, p, ba.previous) == ST_EIO)
		io = 1;
	if (io || st_diags_errors(d))
		goto finish;

	const char *out = ba.out ? ba.out
		: st_sprintf(a, "%s-%s.steg", p->id, p->version);
	if (ba.key) {
		rc = st_bundle_manifest(d, p, &manifest, &mlen);
		if (rc == ST_OK)
			rc = sign_manifest(&sig, &siglen, d, &ba, p, manifest, mlen);
		if (rc != ST_OK) {
			io = rc == ST_EIO;
			goto finish;
		}
	}
	st_bundle_write_opts wo = { ba.level, sig, manifest, mlen, ba.self_check,
	                            (int)sc_jobs() };
	rc = st_bundle_write(d, p, out, &wo);
	if (rc != ST_OK) {
		io = rc == ST_EIO;
		goto finish;
	}
	int ret = sc_cli_finish(&cli, d);
	if (ret == EXIT_CLEAN && !cli.quiet) {
		size_t pages = 0;
		for (size_t i = 0; i < p->nmodules; i++)
			pages += p->modules[i].npages;
		FILE *f = fopen(out, "rb");
		long long size = -1;
		if (f && fseek(f, 0, SEEK_END) == 0)
			size = ftell(f);
		if (f)
			fclose(f);
		fprintf(!sc_cli_machine(&cli) ? stdout : stderr,
		        "wrote %s: %zu modules, %zu pages, %zu forms, %lld bytes%s\n",
		        out, p->nmodules, pages, p->nforms, size, sig ? ", signed" : "");
	}
	free(manifest);
	free(sig);
	st_diags_free(d);
	st_arena_free(a);
	return ret;

finish:
	ret = sc_cli_finish(&cli, d);
	if (io)
		ret = EXIT_IO;
	else if (ret == EXIT_CLEAN)
		ret = EXIT_ERRORS;   /* nothing was written: never report success */
	free(manifest);
	free(sig);
	st_diags_free(d);
	st_arena_free(a);
	return ret;
}
