/*
 * fhir.h — rating forms as HL7 FHIR R4 Questionnaires, both ways
 * (docs/fhir.md).  fhir_export.c writes a form of a verified bundle as a
 * Questionnaire; fhir_import.c reads a Questionnaire into the text of a
 * forms/ID.yaml file.  The commands (cmd_fhir.c) parse options, read and
 * write files and render the findings; these two translate.
 *
 * What FHIR has no place for (bands, alerts, the Steg source of an
 * expression) travels in Steg's extensions (STEG_SD below) so that a
 * Questionnaire exported by Steg imports back to the same form; other
 * readers ignore them as FHIR allows.  Anything either direction cannot
 * carry over is a warning [fhir-unsupported] naming where it is (the
 * form's source span, or the FHIR path of the element, e.g.
 * "item[3].item[0].answerValueSet"); nothing is guessed silently.
 *
 * Both are pure translations over small documents (a form has tens of
 * items): the item lookups are linear scans or small maps.
 */
#ifndef SC_FHIR_H
#define SC_FHIR_H

#include <jansson.h>
#include <stddef.h>

#include "diag.h"
#include "model.h"
#include "util.h"

/* The largest Questionnaire import-fhir reads. */
#define FHIR_MAX_BYTES (8u << 20)

/* Items of one questionnaire, groups included.  A rating form has tens;
 * the bound keeps a hostile file from making thousands. */
#define FHIR_MAX_ITEMS 2000

#define URL_ORDINAL "http://hl7.org/fhir/StructureDefinition/ordinalValue"
#define URL_WEIGHT "http://hl7.org/fhir/StructureDefinition/itemWeight"
#define URL_CALC "http://hl7.org/fhir/uv/sdc/StructureDefinition/" \
	"sdc-questionnaire-calculatedExpression"
#define URL_ENABLE_EXPR "http://hl7.org/fhir/uv/sdc/StructureDefinition/" \
	"sdc-questionnaire-enableWhenExpression"
#define URL_MIN "http://hl7.org/fhir/StructureDefinition/minValue"
#define URL_MAX "http://hl7.org/fhir/StructureDefinition/maxValue"
#define URL_CONTROL "http://hl7.org/fhir/StructureDefinition/" \
	"questionnaire-itemControl"
#define URL_SDC_PROFILE "http://hl7.org/fhir/uv/sdc/StructureDefinition/" \
	"sdc-questionnaire"
#define URL_HIDDEN "http://hl7.org/fhir/StructureDefinition/" \
	"questionnaire-hidden"
#define URL_XHTML "http://hl7.org/fhir/StructureDefinition/rendering-xhtml"
/* Steg's canonical base (docs/fhir.md, "Steg's extensions"): each
 * extension's StructureDefinition is schemas/fhir/steg-NAME.json, with
 * url STEG_FHIR_BASE "/StructureDefinition/NAME". */
#define STEG_FHIR_BASE "https://steg-sob.github.io/fhir"
#define STEG_SD STEG_FHIR_BASE "/StructureDefinition/"
#define URL_STEG_EXPR STEG_SD "expression"
#define URL_STEG_BAND STEG_SD "band"
#define URL_STEG_ALERT STEG_SD "alert"
#define URL_STEG_REVERSE STEG_SD "reverse"
#define URL_STEG_SHOW_IF STEG_SD "show-if"
#define URL_STEG_MISSING STEG_SD "missing"
#define URL_STEG_VALUE STEG_SD "value"
#define URL_STEG_NAME STEG_SD "name"
/* The code system of an item's answers that have no code of a
 * terminology: STEG_CODESYSTEM "PROGRAM/FORM/ITEM", codes the options'
 * values (docs/fhir.md).  Import reads such a Coding as Steg's answer. */
#define STEG_CODESYSTEM STEG_FHIR_BASE "/CodeSystem/"
/* What exports before the canonical base wrote instead of STEG_SD:
 * import accepts both. */
#define STEG_OLD_EXT "urn:steg:fhir:"

/* Form form_id of program p (read from the bundle at bpath, which names
 * it in messages) as a Questionnaire.  Returns a new JSON object, which
 * the caller frees with json_decref, or NULL after an error in d (no such
 * form).  Problems of the translation are warnings and notes in d; an
 * expression that does not parse is an error in d, with the object still
 * returned.  Temporary memory comes from a. */
json_t *sc_fhir_export(st_arena *a, st_diags *d, const char *bpath,
                       const st_program *p, const char *form_id);

/* Questionnaire.name of the form with id form_id (an identifier): the id
 * with its first letter in upper case, a FHIR machine label. */
char *sc_fhir_name(st_arena *a, const char *form_id);

/* What sc_fhir_import made of a Questionnaire. */
typedef struct sc_fhir_form {
	const char *id;          /* the form's id */
	const char *yaml;        /* the text of forms/ID.yaml */
	size_t len;
	size_t nitems;           /* items carried over */
	size_t nscores;          /* scores carried over (with a value) */
	size_t nalerts;
} sc_fhir_form;

/* Read the Questionnaire JSON in data[0..len) (file names it in
 * messages) into the text of a forms file.  The form's id is want_id when
 * given (the caller checks it is an identifier), else one made from the
 * questionnaire's id, name or title.  Returns 0 with *out filled (strings
 * in a), or -1 after errors in d (not JSON, not a Questionnaire, no id, no
 * item carried over, or any error, -Werror's included): then there is
 * nothing to write. */
int sc_fhir_import(st_arena *a, st_diags *d, const char *file,
                   const char *data, size_t len, const char *want_id,
                   sc_fhir_form *out);

#endif
