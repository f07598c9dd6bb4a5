/*
 * words.h — the words the server's own pages say (headings, buttons, the
 * refusal pages), in Swedish: a sibling of the renderer's table
 * (render/words.h), which holds the words of a program's pages.  One
 * table, so that a translation is one more table.
 */
#ifndef SV_WORDS_H
#define SV_WORDS_H

typedef enum {
	SV_W_MENU,            /* the navigation's label */
	SV_W_PROGRAMS,        /* "Program" (the unit's programs) */
	SV_W_VERSIONS,        /* "Versioner" (the publisher's list) */
	SV_W_AUDIT,           /* "Granskningslogg" */
	SV_W_UNITS,           /* "Vårdenheter" */
	SV_W_UNIT_PROGRAMS,   /* "Program vid %s" */
	SV_W_PROGRAM,         /* column: program */
	SV_W_TITLE,
	SV_W_VERSION,
	SV_W_STATE,
	SV_W_ACTIVE,          /* "Aktiv" */
	SV_W_AVAILABLE,       /* "Tillgänglig" (published, not active) */
	SV_W_NEWER,           /* "Nyare version finns: %s" */
	SV_W_NONE_PUBLISHED,  /* no program is published to the unit */
	SV_W_ACTIVATE,
	SV_W_DEACTIVATE,
	SV_W_OPEN_VIEW,       /* "Visa som patient" */
	SV_W_ACTIONS,         /* column: what may be done */
	SV_W_FORBIDDEN,       /* 403 title */
	SV_W_NOT_FOUND,       /* 404 title */
	SV_W_BAD_REQUEST,     /* 400 title */
	SV_W_ERROR,           /* 500 title */
	SV_W_ROLE_ADMIN,
	SV_W_ROLE_PUBLISHER,
	SV_W_ROLE_CLINICIAN,
	SV_W_CONFIRM,         /* "Bekräfta" */
	SV_W_CANCEL,          /* "Avbryt" */
	SV_W_DONE,            /* "Klart" */
	SV_W_REFUSED,         /* "Nekades" */
	SV_W_BACK,            /* "Tillbaka" */
	SV_W_COUNT
} sv_word;

/* The word (UTF-8, never NULL). */
const char *sv_w(sv_word w);
/* "admin" -> "administratör" and so on; an unknown role as it is. */
const char *sv_role_word(const char *role);

#endif
