/*
 * i18n.h — the language of diagnostics (GNU gettext, text domain "steg").
 *
 * A finding's message is looked up once, where it is made: st_diag and
 * st_diag_note (diag.c) and the few helpers that format a message before
 * handing it on pass their format through st_tr_fmt; fragments that are
 * put into a message ("fire", "be sent") go through st_tr.  The catalogue
 * is po/sv.po, compiled by the Makefile to $(BUILD)/locale/sv/LC_MESSAGES/
 * steg.mo and installed under $(PREFIX)/share/locale (docs/diagnostics.md,
 * "Diagnostics in Swedish").  Codes, positions and JSON/SARIF keys are
 * never translated.
 *
 * The library only calls dgettext: it never changes the locale.  Choosing
 * the language is process-wide state, so only the binaries' main functions
 * call st_i18n_init, once, before any thread starts (tests/t0020-layers.sh
 * checks that no other core file calls it or setlocale).
 */
#ifndef ST_I18N_H
#define ST_I18N_H

#define ST_TEXTDOMAIN "steg"

/* Marks a message for xgettext without translating it (tables of
 * messages translated later with st_tr). */
#define ST_N(s) (s)

/* s in the user's language, or s itself (a text that is not a printf
 * format, such as a fragment put into a message by "%s"). */
const char *st_tr(const char *s) __attribute__((format_arg(1)));

/* A printf format in the user's language, or fmt itself when there is no
 * translation or when the translation's conversions (%s, %d, %.*s, ...)
 * are not fmt's in the same order: a damaged or hostile catalogue can
 * change words, never what printf reads from its arguments. */
const char *st_tr_fmt(const char *fmt) __attribute__((format_arg(1)));

/* The plural form of a format for n ("%d error" / "%d errors"), checked
 * as st_tr_fmt checks. */
const char *st_trn_fmt(const char *one, const char *many, unsigned long n)
	__attribute__((format_arg(1))) __attribute__((format_arg(2)));

/* What decides the text of messages, appended to b for a cache key
 * (compiler/checkcache.c): the message locale, LANGUAGE, the catalogue's
 * header and the bytes of every catalogue file that could be the one in
 * use.  Reads, changes nothing. */
struct st_buf;
void st_i18n_stamp(struct st_buf *b);

/* For main only.  Chooses the language of messages from the environment
 * as GNU gettext does (LC_ALL, else LC_MESSAGES, else LANG; "C", "POSIX"
 * or none is English and LANGUAGE is then ignored; otherwise LANGUAGE, a
 * colon-separated list, comes first) and binds the text domain to its
 * catalogue folder: $STEG_LOCALEDIR when set, else the folder "locale"
 * beside the running program when it exists (an uninstalled build), else
 * the LOCALEDIR compiled in ($(PREFIX)/share/locale).  C.UTF-8 (or
 * C.utf8) without LANGUAGE is English too, and LC_MESSAGES is then left
 * at "C", which says the same without reading the locale's files.
 *
 * Only LC_MESSAGES is set, never LC_ALL or LC_NUMERIC: numbers, scores and
 * bundle bytes stay the C locale's whatever the environment says.  When
 * the named locale is not generated on this machine (setlocale fails, as
 * on a fresh Debian), LC_MESSAGES becomes C.UTF-8 and LANGUAGE is set to
 * the locale's name, so that glibc still finds the catalogue; the
 * catalogue's text is always given in UTF-8. */
void st_i18n_init(void);

#endif
