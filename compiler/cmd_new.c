/*
 * cmd_new.c — `stegc new DIR [--id ID] [--title T]`: a starter program
 * that builds clean, for a designer to copy the shape of.
 *
 * The starter is small but shows every part of the format once: a
 * program.yaml with an assessment and an automatic message, two short
 * modules in plain Swedish (LIX well under 50) with pages, a link between
 * them, an unlock rule, an image with alternative text, an inline
 * exercise and a rating form given in a module, and forms/veckokoll.yaml
 * — a made-up weekly
 * check-in (not a published instrument, so that it carries no licence
 * question) with a score, bands and an alert.  Test t0800 builds it and
 * requires no finding at all.
 *
 * Writing is all or nothing: the files go into a fresh folder beside DIR
 * (mkdtemp) that is renamed onto DIR at the end; rename(2) replaces an
 * empty folder, and on any failure the temporary folder is removed, so a
 * failed `stegc new` leaves nothing behind.  A DIR that exists and is not
 * empty is refused (exit 2): new never mixes its files with someone's work.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "model.h"
#include "vocab.h"
#include "util.h"
#include "yaml_emit.h"

static const unsigned char starter_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x14,
	0x08, 0x02, 0x00, 0x00, 0x00, 0x63, 0xf3, 0xa8, 0x18, 0x00, 0x00, 0x00,
	0x27, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x70, 0x6b, 0xda, 0x42,
	0x53, 0xc4, 0x30, 0x6a, 0xc1, 0xa8, 0x05, 0xa3, 0x16, 0x8c, 0x5a, 0x40,
	0x84, 0x05, 0x79, 0xab, 0xa2, 0x68, 0x8a, 0x46, 0x2d, 0x18, 0xb5, 0x60,
	0x08, 0x58, 0x00, 0x00, 0xbc, 0x94, 0xac, 0x2e, 0x02, 0xa6, 0xd1, 0x0a,
	0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* program.yaml: %s is the id, the second the title as a YAML
 * double-quoted scalar. */
static const char program_yaml[] =
	"# Programmet: identitet, version och vilka formulär som ges när.\n"
	"# Alla nycklar: docs/source-format.md i Steg; 'stegc check' visar vad\n"
	"# som kontrolleras.\n"
	"steg: 1\n"
	"id: %s\n"
	"version: 0.1.0\n"
	"title: %s\n"
	"language: sv\n"
	"kind: treatment\n"
	"summary: Ett litet startprogram. Byt ut texterna mot dina egna.\n"
	"producer:\n"
	"  id: SE2321000016-0001\n"
	"  name: Min region\n"
	"start: clinician\n"
	"duration-weeks: 2\n"
	"retention-days: 365\n"
	"assessments:\n"
	"  - form: veckokoll\n"
	"    at: [start, end]\n"
	"messages:\n"
	"  - id: valkommen\n"
	"    when: start\n"
	"    text: Välkommen till programmet. Börja med den första modulen.\n";

static const char module1[] =
	"---\n"
	"title: Välkommen\n"
	"minutes: 10\n"
	"---\n"
	"\n"
	"Här börjar programmet. Det tar några veckor. Du gör en modul i taget.\n"
	"\n"
	"# Så går det till\n"
	"\n"
	"Varje modul har några sidor. Läs i din egen takt. Du kan gå tillbaka\n"
	"när du vill.\n"
	"\n"
	"![En blå himmel över en grön äng](../media/ang.png)\n"
	"\n"
	"## Det här gör du\n"
	"\n"
	"- Läs texten på varje sida.\n"
	"- Gör övningen i slutet.\n"
	"- Svara på frågorna om hur du mår.\n"
	"\n"
	"# Nästa steg\n"
	"\n"
	"När du är klar går du vidare till [det första steget](02-forsta-steget.md).\n";

static const char module2[] =
	"---\n"
	"title: Det första steget\n"
	"minutes: 20\n"
	"unlock: completed(\"valkommen\")\n"
	"---\n"
	"\n"
	"Nu tar vi det första steget. Vi börjar med hur du mår just nu.\n"
	"\n"
	"# Hur mår du?\n"
	"\n"
	"Svara på frågorna. Det finns inga rätta svar.\n"
	"\n"
	"```form\n"
	"ref: veckokoll\n"
	"```\n"
	"\n"
	"# Din plan\n"
	"\n"
	"Tänk på en sak som brukar ge dig lite energi. Skriv ner den här.\n"
	"\n"
	"```exercise\n"
	"id: plan\n"
	"title: En sak som ger energi\n"
	"instructions: Välj något litet som du kan göra i veckan.\n"
	"fields:\n"
	"  - id: aktivitet\n"
	"    type: text\n"
	"    label: Vad vill du göra?\n"
	"    required: true\n"
	"  - id: dag\n"
	"    type: choice\n"
	"    label: Vilken dag?\n"
	"    options:\n"
	"      - { value: 1, label: I början av veckan }\n"
	"      - { value: 2, label: I slutet av veckan }\n"
	"```\n"
	"\n"
	"Vill du läsa igen? Gå tillbaka till [välkomstmodulen](01-valkommen.md).\n";

static const char form_yaml[] =
	"# Ett eget, påhittat formulär som exempel. Det är inget publicerat\n"
	"# instrument: använd ett riktigt (till exempel PHQ-9) i en behandling.\n"
	"id: veckokoll\n"
	"title: Hur har veckan varit?\n"
	"name: Veckokoll\n"
	"reference: Exempel skapat av stegc new\n"
	"license: CC0-1.0\n"
	"instructions: Tänk på den senaste veckan när du svarar.\n"
	"options:\n"
	"  - { value: 0, label: Inte alls }\n"
	"  - { value: 1, label: Lite }\n"
	"  - { value: 2, label: Ganska mycket }\n"
	"  - { value: 3, label: Mycket }\n"
	"items:\n"
	"  - id: q1\n"
	"    text: Har du känt dig nedstämd?\n"
	"  - id: q2\n"
	"    text: Har du haft svårt att sova?\n"
	"  - id: q3\n"
	"    text: Har du känt dig orolig?\n"
	"scores:\n"
	"  - id: total\n"
	"    title: Summa\n"
	"    value: sum(q1..q3)\n"
	"    bands:\n"
	"      - { from: 0, to: 3, label: Låg, level: low }\n"
	"      - { from: 4, to: 6, label: Medel, level: moderate }\n"
	"      - { from: 7, to: 9, label: Hög, level: high }\n"
	"alerts:\n"
	"  - id: mycket_nedstamd\n"
	"    when: q1 == 3\n"
	"    level: warning\n"
	"    message: Patienten har känt sig mycket nedstämd den senaste veckan\n";

/* The title as a YAML double-quoted scalar.  Returns 0, or -1 when the
 * title is not valid UTF-8 or holds control characters. */
static int yaml_quote(st_buf *b, const char *s)
{
	size_t bad;
	if (!st_utf8_valid(s, strlen(s), &bad))
		return -1;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return -1;
	sc_yaml_quoted(b, s);
	return 0;
}

/* 1 if path does not exist or is an empty folder, 0 if it is something
 * else; -1 with errno on failure. */
static int usable_target(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 1 : -1;
	if (!S_ISDIR(st.st_mode))
		return 0;
	DIR *d = opendir(path);
	if (!d)
		return -1;
	struct dirent *de;
	int empty = 1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

/* What has been created inside the temporary folder, for cleanup. */
struct made {
	char *paths[16];
	int isdir[16];
	int n;
};

static int make_dir(struct made *m, st_arena *a, const char *root,
                    const char *name)
{
	char *p = st_path_join(a, root, name);
	if (mkdir(p, 0777) != 0) {
		sc_fail("cannot create '%s': %s", p, strerror(errno));
		return -1;
	}
	m->paths[m->n] = p;
	m->isdir[m->n++] = 1;
	return 0;
}

static int make_file(struct made *m, st_arena *a, const char *root,
                     const char *name, const void *data, size_t len)
{
	char err[512];
	char *p = st_path_join(a, root, name);
	if (st_write_file_atomic(p, data, len, err, sizeof err) != 0) {
		sc_fail("%s", err);
		return -1;
	}
	m->paths[m->n] = p;
	m->isdir[m->n++] = 0;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: stegc new DIR [--id ID] [--title TITLE]\n\n"
	        "Write a small starter program into DIR (which must not exist or\n"
	        "be empty).  It builds with no finding: change it step by step and\n"
	        "run 'stegc check DIR' as you go.\n\n"
	        "  --id ID        the program's id (default: se.exempel.NAME, the\n"
	        "                 folder's name in ASCII: oro-ångest gives\n"
	        "                 se.exempel.oro-angest)\n"
	        "  --title TITLE  the program's title (default: Mitt program)\n");
}

/* The program id made from the folder d's name (se.exempel.SLUG), or NULL
 * after saying why there is none (a usage error).  *ascii_note says how
 * a name with letters outside ASCII was written, else stays NULL. */
static const char *id_from_folder(st_arena *a, const char *d, const char **ascii_note)
{
	const char *base = strrchr(d, '/');
	base = base ? base + 1 : d;
	const char *bad, *suggest;
	const char *slug = st_slugify(a, base, &bad, &suggest);
	if (!slug && bad) {
		if (suggest)
			sc_fail("a program id is made from the folder name in a-z, "
			        "0-9 and '-', and '%s' has no such spelling; name the "
			        "folder %s, or give the id with --id (e.g. --id "
			        "se.region.%s)", bad, suggest, suggest);
		else
			sc_fail("a program id is made from the folder name in a-z, "
			        "0-9 and '-', and '%s' has no such spelling; give the "
			        "id with --id (e.g. --id se.region.mitt-program)", bad);
		return NULL;
	}
	if (!slug) {
		sc_fail("the folder name '%s' has no letter or digit to make a "
		        "program id of; give the id with --id (e.g. --id "
		        "se.region.mitt-program)", st_escape(a, base));
		return NULL;
	}
	for (const char *q = base; *q && !*ascii_note; q++)
		if ((unsigned char)*q >= 0x80)
			*ascii_note = st_sprintf(a, "'%s' is written '%s' in the id",
			                         base, slug);
	return st_sprintf(a, "se.exempel.%s", slug);
}

/* The starter's files in a new folder beside d (*tmp, which the caller
 * renames to d or removes with starter_remove), program.yaml holding
 * prog.  Nonzero after saying what failed. */
static int starter_write(struct made *m, st_arena *a, const char *d,
                         const st_buf *prog, char **tmp)
{
	*tmp = st_sprintf(a, "%s.newXXXXXX", d);
	if (!mkdtemp(*tmp)) {
		sc_fail("cannot create a folder beside '%s': %s", d,
		        strerror(errno));
		*tmp = NULL;
		return -1;
	}
	mode_t um = umask(0);
	umask(um);
	if (chmod(*tmp, 0777 & ~um) != 0) {
		sc_fail("cannot set the mode of '%s': %s", *tmp, strerror(errno));
		return -1;
	}
	return make_dir(m, a, *tmp, "modules") || make_dir(m, a, *tmp, "forms") ||
	       make_dir(m, a, *tmp, "media") ||
	       make_file(m, a, *tmp, "program.yaml", prog->data, prog->len) ||
	       make_file(m, a, *tmp, "modules/01-valkommen.md", module1,
	                 sizeof module1 - 1) ||
	       make_file(m, a, *tmp, "modules/02-forsta-steget.md", module2,
	                 sizeof module2 - 1) ||
	       make_file(m, a, *tmp, "forms/veckokoll.yaml", form_yaml,
	                 sizeof form_yaml - 1) ||
	       make_file(m, a, *tmp, "media/ang.png", starter_png,
	                 sizeof starter_png);
}

/* What starter_write made, removed: files first, then folders. */
static void starter_remove(const struct made *m, const char *tmp)
{
	for (int i = m->n - 1; i >= 0; i--)
		if (!m->isdir[i])
			unlink(m->paths[i]);
	for (int i = m->n - 1; i >= 0; i--)
		if (m->isdir[i])
			rmdir(m->paths[i]);
	rmdir(tmp);
}

int cmd_new(int argc, char **argv)
{
	const char *dir = NULL, *id = NULL, *title = NULL;
	int rc, npos;
	st_arena *a = NULL;
	st_buf prog;
	char *tmp = NULL;
	struct made m = { .n = 0 };
	st_opt opts[] = {
		ST_VALUE("--id", &id),
		ST_VALUE("--title", &title),
		{ NULL },
	};

	rc = sc_parse(argc, argv, "new", opts, NULL, &dir, 1, &npos, usage);
	if (rc != ST_CONTINUE)
		return rc;
	rc = EXIT_IO;
	if (!title)
		title = "Mitt program";
	st_buf_init(&prog);
	if (!dir || !*dir) {
		usage(stderr);
		return EXIT_USAGE;
	}

	a = st_arena_new();
	/* Without trailing slashes, so that "x/" and "x" are the same. */
	char *d = st_strdup(a, dir);
	for (size_t n = strlen(d); n > 1 && d[n - 1] == '/'; n--)
		d[n - 1] = 0;

	const char *ascii_note = NULL;
	if (!id && !(id = id_from_folder(a, d, &ascii_note))) {
		rc = EXIT_USAGE;
		goto done;
	}
	if (!st_is_slug(id)) {
		sc_fail("'%s' is not a valid program id: use a-z, 0-9, '-' and '.',"
		        " e.g. se.region.mitt-program", id);
		rc = EXIT_USAGE;
		goto done;
	}
	if (!*title) {
		sc_fail("the title must not be empty");
		rc = EXIT_USAGE;
		goto done;
	}
	st_buf quoted;
	st_buf_init(&quoted);
	if (yaml_quote(&quoted, title) != 0) {
		st_buf_release(&quoted);
		sc_fail("the title must be UTF-8 text without control characters");
		rc = EXIT_USAGE;
		goto done;
	}
	st_buf_printf(&prog, program_yaml, id, quoted.data);
	st_buf_release(&quoted);

	int u = usable_target(d);
	if (u < 0) {
		sc_fail("cannot look at '%s': %s", d, strerror(errno));
		goto done;
	}
	if (u == 0) {
		sc_fail("'%s' exists and is not an empty folder; "
		        "choose a new name", d);
		rc = EXIT_USAGE;
		goto done;
	}
	if (starter_write(&m, a, d, &prog, &tmp))
		goto done;
	if (rename(tmp, d) != 0) {
		sc_fail("cannot create '%s': %s", d, strerror(errno));
		goto done;
	}
	tmp = NULL;
	printf("created '%s': program '%s', 2 modules, 1 form, 1 image\n", d, id);
	if (ascii_note)
		printf("note: ids are in ASCII: %s (docs/source-format.md, \"Names "
		       "in ASCII\"); give another with --id\n", ascii_note);
	printf("next: stegc check %s && stegc build %s\n", d, d);
	rc = EXIT_CLEAN;
done:
	if (tmp)
		starter_remove(&m, tmp);
	st_buf_release(&prog);
	st_arena_free(a);
	return rc;
}
