/*
 * fhir_path.h — a form's expressions as FHIRPath, for the SDC
 * calculatedExpression of a score and the enableWhenExpression of a
 * show-if (fhir_export.c; docs/fhir.md, "Scores to FHIRPath").
 *
 * The contract is Steg's evaluator (core/expr_eval.c, docs/expressions.md
 * "Missing answers"): the FHIRPath gives, on a QuestionnaireResponse, the
 * value one evaluation of the expression gives on the same answers, an
 * empty collection standing for a missing value.  Where Steg and FHIRPath
 * differ, the translation spells Steg's meaning out:
 *
 * - conditions are two-valued in Steg (a comparison with a missing value
 *   is false, so `not (b == true)` holds when b is unanswered), three-valued
 *   in FHIRPath (the comparison is empty, and so is its not()): every
 *   comparison is iif(A op B, true, false), and the operands of and, or and
 *   not are made two-valued the same way;
 * - count() counts a yes/no only when it is true;
 * - round() takes halves away from zero, also below zero;
 * - sum, min and max are empty when one element is.
 *
 * Dates in arithmetic (days between two dates, a date plus days) and
 * round(x, n) with n not a whole number 0..15 written out have no faithful
 * FHIRPath: the translation fails and the caller says so.  So does one
 * whose text would pass FHIRPATH_MAX bytes (nested sums repeat their
 * arguments).
 */
#ifndef SC_FHIR_PATH_H
#define SC_FHIR_PATH_H

#include "expr.h"
#include "model.h"
#include "strmap.h"
#include "util.h"

/* The longest FHIRPath written for one expression. */
#define FHIRPATH_MAX (1u << 20)

typedef struct sc_fhirpath {
	const st_form *f;
	const st_strmap *items;  /* item id -> index in f->items */
} sc_fhirpath;

/* Append the FHIRPath of checked expression n to b.  Returns 0, or -1
 * when n has no faithful translation (b then holds a part, to be
 * discarded). */
int sc_fhirpath_expr(const sc_fhirpath *c, st_buf *b, const st_ast *n);

/* A sum with `missing: { prorate: N }` (docs/forms.md): with at most N of
 * its K items unanswered, the sum of the others times K over their number,
 * rounded half away from zero; more unanswered, empty.  0, or -1 when n is
 * not a sum that translates. */
int sc_fhirpath_prorated(const sc_fhirpath *c, st_buf *b, const st_ast *n,
                         int prorate);

#endif
