/*
 * progxml-tool.c — a test driver for core/xmlsafe.c and core/progxml.c,
 * built by the t04xx tests against the core library, so that the XML layer
 * is tested on its own as well as through stegc.
 *
 *   progxml-tool parse FILE        parse untrusted XML; findings on stdout
 *   progxml-tool validate FILE XSD parse and validate against an embedded
 *                                  schema
 *   progxml-tool rt FILE           read program.xml, write it again to
 *                                  stdout; findings on stderr
 *   progxml-tool num X...          each number as program.xml writes it
 *   progxml-tool stable FILE...    for each FILE that reads as program.xml,
 *                                  check that writing it, reading that
 *                                  and writing again gives the same bytes;
 *                                  prints "N read, M refused, K unstable"
 *   progxml-tool threads N FILE    read FILE as program.xml 50 times in
 *                                  each of N threads at once, each read
 *                                  written again and compared with FILE
 *   progxml-tool printf            one half through printf's %g, to show
 *                                  which locale is in force
 *
 * The locale is taken from the environment (setlocale(LC_ALL, "")), as a
 * program that embeds Steg might, so that tests can show that
 * program.xml does not depend on it.
 *
 * Exit: 0 fine, 1 findings, 3 cannot read the file.
 */
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progxml.h"
#include "xmlsafe.h"

struct job {
	const char *file, *data;
	size_t len;
	int failures;
};

static void *reader(void *arg)
{
	struct job *j = arg;
	for (int i = 0; i < 50; i++) {
		st_arena *a = st_arena_new();
		st_diags *d = st_diags_new();
		st_program *p = NULL;
		char *xml = NULL;
		size_t xlen = 0;
		if (st_progxml_read(&p, a, d, j->file, j->data, j->len) != 0 ||
		    st_progxml_write(d, p, &xml, &xlen) != 0 || xlen != j->len ||
		    memcmp(xml, j->data, xlen))
			j->failures++;
		free(xml);
		st_diags_free(d);
		st_arena_free(a);
	}
	return NULL;
}

static int threads(int n, const char *file, const char *data, size_t len)
{
	pthread_t t[64];
	struct job jobs[64];
	if (n < 1 || n > 64)
		return 2;
	for (int i = 0; i < n; i++) {
		jobs[i] = (struct job){ file, data, len, 0 };
		if (pthread_create(&t[i], NULL, reader, &jobs[i]))
			return 3;
	}
	int failures = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		failures += jobs[i].failures;
	}
	printf("%d reads, %d failed\n", n * 50, failures);
	return failures ? 1 : 0;
}

/* rt twice; 1 when the first read refuses, 2 when unstable. */
static int stable_one(const char *file)
{
	char *data = NULL, err[256];
	size_t len = 0;
	if (st_read_file(&data, &len, file, 1u << 30, err, sizeof err))
		return 1;
	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_program *p = NULL, *q = NULL;
	char *x1 = NULL, *x2 = NULL;
	size_t l1 = 0, l2 = 0;
	int rc = 1;
	if (st_progxml_read(&p, a, d, file, data, len) != 0)
		goto done;
	rc = 2;
	if (st_progxml_write(d, p, &x1, &l1) != 0 ||
	    st_progxml_read(&q, a, d, file, x1, l1) != 0 ||
	    st_progxml_write(d, q, &x2, &l2) != 0 ||
	    l1 != l2 || memcmp(x1, x2, l1))
		goto done;
	rc = 0;
done:
	if (rc == 2)
		st_diags_render(d, stdout, ST_FMT_TEXT, 0, file);
	free(x1);
	free(x2);
	st_diags_free(d);
	st_arena_free(a);
	free(data);
	return rc;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc == 2 && !strcmp(argv[1], "printf")) {
		printf("%g\n", 0.5);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "num")) {
		st_buf b;
		st_buf_init(&b);
		for (int i = 2; i < argc; i++) {
			/* parse in C, whatever the locale */
			double v = 0;
			xmlNode n;
			xmlAttr at;
			xmlNode t;
			memset(&n, 0, sizeof n);
			memset(&at, 0, sizeof at);
			memset(&t, 0, sizeof t);
			n.type = XML_ELEMENT_NODE;
			n.properties = &at;
			at.name = (const xmlChar *)"v";
			at.children = &t;
			t.type = XML_TEXT_NODE;
			t.content = (xmlChar *)argv[i];
			if (st_xml_attr_num(&n, "v", &v) != 1)
				v = strtod(argv[i], NULL);  /* nan, inf */
			if (st_xml_add_num(&b, v) != 0)
				st_buf_adds(&b, "(not finite)");
			st_buf_addc(&b, '\n');
		}
		fwrite(b.data, 1, b.len, stdout);
		st_buf_release(&b);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "stable")) {
		int n[3] = { 0, 0, 0 };
		for (int i = 2; i < argc; i++) {
			int r = stable_one(argv[i]);
			n[r]++;
			if (r == 2)
				printf("unstable: %s\n", argv[i]);
		}
		printf("%d read, %d refused, %d unstable\n", n[0], n[1], n[2]);
		return n[2] ? 1 : 0;
	}
	if (argc == 4 && !strcmp(argv[1], "threads")) {
		char *data = NULL, err[256];
		size_t len = 0;
		if (st_read_file(&data, &len, argv[3], 1u << 30, err, sizeof err)) {
			fprintf(stderr, "progxml-tool: %s\n", err);
			return 3;
		}
		int rc = threads(atoi(argv[2]), argv[3], data, len);
		free(data);
		return rc;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: progxml-tool parse|validate|rt FILE [XSD]\n");
		return 2;
	}
	char *data = NULL, err[256];
	size_t len = 0;
	if (st_read_file(&data, &len, argv[2], 1u << 30, err, sizeof err)) {
		fprintf(stderr, "progxml-tool: %s\n", err);
		return 3;
	}
	st_diags *d = st_diags_new();
	st_diags_add_source(d, argv[2], data, len);
	int rc = 0;
	if (!strcmp(argv[1], "parse") || !strcmp(argv[1], "validate")) {
		xmlDocPtr doc = !strcmp(argv[1], "parse")
			? st_xml_parse(d, argv[2], data, len)
			: st_xml_load(d, argv[2], data, len, argc > 3 ? argv[3] : "program.xsd");
		rc = doc ? 0 : 1;
		if (doc)
			xmlFreeDoc(doc);
		st_diags_render(d, stdout, ST_FMT_TEXT, 0, "progxml-tool");
	} else if (!strcmp(argv[1], "rt")) {
		st_arena *a = st_arena_new();
		st_program *p = NULL;
		char *xml = NULL;
		size_t xlen = 0;
		rc = 1;
		if (st_progxml_read(&p, a, d, argv[2], data, len) == 0 &&
		    st_progxml_write(d, p, &xml, &xlen) == 0) {
			fwrite(xml, 1, xlen, stdout);
			rc = 0;
		}
		free(xml);
		st_diags_render(d, stderr, ST_FMT_TEXT, 0, "progxml-tool");
		st_arena_free(a);
	} else {
		fprintf(stderr, "progxml-tool: unknown mode '%s'\n", argv[1]);
		rc = 2;
	}
	st_diags_free(d);
	free(data);
	return rc;
}
