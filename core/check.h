/*
 * check.h — the semantic checks of a whole program that the compiler runs
 * after loading and the runtime runs again on every program it reads from
 * a bundle (a bundle is never trusted to have been compiled by us):
 * expressions parsed, names resolved and types checked; cycles between
 * scores and between computed fields; every score's range by interval
 * analysis and its bands against it (band-gap, band-overlap,
 * band-outside, band-uncovered, band-reversed); alerts and show-if that
 * can never be true or are always true (warnings); unlock rules that leave
 * a module unreachable; assessments naming unknown forms.
 *
 * Every check works on the model alone (core/model.h): positions are exact
 * when the expressions came from YAML and the file-level spans otherwise.
 */
#ifndef ST_CHECK_H
#define ST_CHECK_H

#include "diag.h"
#include "model.h"
#include "util.h"

/* Run every check; findings go to d.  Idempotent on expressions (parsed
 * trees are kept in p).  Returns the number of errors added. */
int st_check_program(st_arena *a, st_diags *d, st_program *p);

#endif
