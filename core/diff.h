/*
 * diff.h — what changed between two versions of a program, and how large
 * a version step that needs (`stegc diff`, `stegc build --previous`;
 * docs/versioning.md).
 *
 *   major  scores stop being comparable with earlier answers, or something
 *          that stored data refers to is gone: a rating form's item added,
 *          removed, reordered or changed (text, type, options, reverse,
 *          range, show-if), a score's formula or bands, a removed form,
 *          score, module or exercise, an exercise field's type or options
 *   minor  something new or a changed course that keeps data comparable:
 *          an added module, form, exercise, score or field; unlock rules,
 *          assessments, messages, alerts, module order
 *   patch  text: titles, pages, instructions, labels, media
 *
 * Both programs are read, never changed.  Changes point into the arena.
 */
#ifndef ST_DIFF_H
#define ST_DIFF_H

#include <stddef.h>
#include "bundle.h"
#include "diag.h"
#include "model.h"
#include "util.h"

typedef enum {
	ST_CHANGE_NONE = 0,
	ST_CHANGE_PATCH = 1,
	ST_CHANGE_MINOR = 2,
	ST_CHANGE_MAJOR = 3,
} st_change_level;

typedef struct st_change {
	st_change_level level;
	const char *what;          /* "form 'phq9' item 'q9'" */
	const char *how;           /* "text changed" */
} st_change;

typedef struct st_diff {
	st_change *changes;        /* most significant first, then in program
	                              order */
	size_t n;
	st_change_level level;     /* the largest */
} st_diff;

/* Compare two versions of one program.  Each comes from a bundle (give
 * the bundle: a page's text is then compared by the SHA-256 of its entry,
 * since a program read from a bundle has no page text in memory) or is
 * freshly compiled (bundle NULL: the page's xhtml is hashed).  Fills *out
 * in arena a.  Always 0.  (`stegc build --previous OLD` passes the old
 * bundle and its program, and the compiled program with NULL.) */
int st_diff_programs(st_diff *out, st_arena *a,
                     const st_program *old, const st_bundle *old_bundle,
                     const st_program *new_, const st_bundle *new_bundle);

/* "none", "patch", "minor", "major". */
const char *st_change_level_name(st_change_level l);

/* The smallest version after old_version that the change allows, written
 * into out ("2.0.0"); "" when old_version is not a semantic version. */
void st_diff_needed_version(char *out, size_t cap, const char *old_version,
                            st_change_level l);

/* Does new_version step far enough from old_version for the change?  0
 * when it does; otherwise ST_ERR after adding an error "version-too-small"
 * at sp that names the first change of the needed level, e.g.
 * "version '1.1.0' is too small: form 'phq9' item 'q9': text changed needs
 * a major version, at least 2.0.0".  A version that does not grow at all
 * is "version-not-newer" (unless nothing changed and it is equal). */
int st_diff_check_version(st_diags *d, const st_diff *df,
                          const char *old_version, const char *new_version,
                          st_span sp);

/* The diff as `stegc diff --format json` writes it and steg serve's
 * /api/v1/programs/{program}/diff answers it: {"program", "old", "new",
 * "level", "needed", "version_ok", "changes": [{"level", "what",
 * "how"}]}, version_ok whether new_version steps far enough
 * (st_diff_check_version).  A new reference the caller owns, or NULL when
 * out of memory. */
struct json_t *st_diff_json(const st_diff *df, const char *program,
                            const char *old_version, const char *new_version,
                            int version_ok);

#endif
