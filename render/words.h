/*
 * words.h — every word the rendered pages say themselves (buttons, page
 * counters, the clinician's panel), in one table per language, so that a
 * translation is one more table and nothing else.  The program's own text
 * (titles, pages, items) comes from the program, never from here.
 *
 * sr_words_for(lang) gives the table for a language tag ("sv", "sv-SE"),
 * falling back to Swedish, the language of every program so far.
 */
#ifndef SR_WORDS_H
#define SR_WORDS_H

typedef enum {
	SR_W_START,           /* link back to the start page */
	SR_W_NEXT,            /* "Nästa" */
	SR_W_PREV,            /* "Föregående" */
	SR_W_PAGE_OF,         /* "Sida %zu av %zu" (two numbers) */
	SR_W_MODULES,         /* heading of the module list */
	SR_W_OPEN,            /* a module that is open */
	SR_W_LOCKED,          /* a module that is locked */
	SR_W_COMPLETED,       /* a module that is completed */
	SR_W_MINUTES,         /* "%d min" */
	SR_W_FORMS,           /* heading of the rating forms */
	SR_W_EXERCISES,       /* heading of the exercises */
	SR_W_REQUIRED,        /* marker of a required question */
	SR_W_YES, SR_W_NO,
	SR_W_SUBMIT,          /* submit a rating form */
	SR_W_SAVE,            /* save an exercise or diary entry */
	SR_W_UPDATE,          /* show follow-up fields and computed values
	                         without saving (pages without script) */
	SR_W_CLINICIAN,       /* heading of the clinician's panel */
	SR_W_NOT_SUBMITTED,   /* the panel before the form is submitted */
	SR_W_SCORE_RANGE,     /* "%s till %s": a score's possible values */
	SR_W_BAND,            /* "Nivå" */
	SR_W_NO_BAND,         /* a value outside every band */
	SR_W_ALERTS,          /* heading of the alerts */
	SR_W_NO_ALERTS,
	SR_W_FIRES,           /* an alert that fires */
	SR_W_POSSIBLE,        /* an alert that may fire (missing answers) */
	SR_W_MISSING,         /* "Obesvarade frågor" */
	SR_W_REQUIRED_MISSING,/* "Obligatoriska frågor saknar svar: ..." */
	SR_W_PRORATED,        /* "uppräknad från %zu av %zu frågor" */
	SR_W_COMPLETE,        /* every shown item answered */
	SR_W_COMPUTED,        /* heading of computed fields */
	SR_W_NO_VALUE,        /* a computed field with no value yet */
	SR_W_DIARY_ENTRIES,   /* heading of a diary's entries */
	SR_W_DIARY_EMPTY,     /* no entries yet */
	SR_W_DIARY_NEW,       /* "Ny anteckning" */
	SR_W_DIARY_EDIT,      /* "Ändra" */
	SR_W_ENTRY,           /* "Anteckning %zu" */
	SR_W_ERRORS,          /* heading over answers that were refused */
	SR_W_NOT_FOUND,       /* 404 page title */
	SR_W_BAD_REQUEST,     /* 400 page title */
	SR_W_FORBIDDEN,       /* 403 page title */
	SR_W_OPENS_WHEN,      /* "Öppnas när: %s" (the unlock rule) */
	SR_W_OPENS_AFTER_PREV,/* no unlock rule: "Öppnas när föregående modul är klar" */
	SR_W_ASSESSMENT_AT,   /* "Fylls i: %s" */
	SR_W_INSTRUCTIONS,    /* heading of a form's instructions */
	SR_W_SKIP,            /* "Till innehållet" (skip link) */
	SR_W_ANSWER_OPTIONAL, /* the empty choice: "Inget svar" */
	SR_W_MODULE,          /* "Modul %zu" */
	SR_W_PREVIEW,         /* the banner: this is a preview */
	/* the treatment panel (panel.c) */
	SR_W_PANEL,           /* its title */
	SR_W_PANEL_DAY,       /* "Dag %ld, vecka %ld" */
	SR_W_PANEL_ENDS,      /* "Behandlingen slutar dag %ld." */
	SR_W_PANEL_ENDED,     /* the treatment is over */
	SR_W_PANEL_REVIEWED,  /* a module the clinician has given feedback on */
	SR_W_PANEL_COMPLETE,  /* button: the patient completes a module */
	SR_W_PANEL_REVIEW,    /* button: the clinician gives feedback */
	SR_W_PANEL_DAY_ON,    /* button: one day on */
	SR_W_PANEL_WEEK_ON,   /* button: one week on */
	SR_W_PANEL_UNDO,      /* button: take back the last action */
	SR_W_PANEL_RESET,     /* button: start again from day 0 */
	SR_W_PANEL_SCORE,     /* heading and button: give a form's score */
	SR_W_PANEL_SCORE_NAME,/* label: "Poäng (formulär.poäng)" */
	SR_W_PANEL_VALUE,     /* label: the value */
	SR_W_PANEL_STATE,     /* column: the module's state */
	SR_W_PANEL_OPENED,    /* column: the day it opened */
	SR_W_PANEL_DONE_DAY,  /* column: the day it was completed */
	SR_W_PANEL_HISTORY,   /* heading: what has happened */
	SR_W_PANEL_PLANNED,   /* heading: what time alone brings */
	SR_W_PANEL_NOTHING,   /* an empty list */
	SR_W_PANEL_PROBLEMS,  /* heading: actions that could not be played */
	SR_W_PANEL_EV_DAY,    /* "Dag %ld" before an event */
	SR_W_PANEL_EV_OPEN,   /* "%s öppnas" */
	SR_W_PANEL_EV_DUE,    /* "%s ska fyllas i (%s)" */
	SR_W_PANEL_EV_MESSAGE,/* "Meddelandet %s skickas" */
	SR_W_PANEL_EV_COMPLETE,/* "%s blir klar" */
	SR_W_PANEL_EV_REVIEW, /* "Återkoppling på %s" */
	SR_W_PANEL_EV_END,    /* "Behandlingen slutar" */
	SR_W_LEVEL_INFO,      /* alert levels, as the clinician reads them */
	SR_W_LEVEL_WARNING,
	SR_W_LEVEL_URGENT,
	SR_W_AT_START,        /* when a rating form is filled in */
	SR_W_AT_WEEKLY,
	SR_W_AT_END,
	SR_W_AT_MODULE,       /* "efter modul %s" */
	/* an unlock rule in words (render.c rule_words), each a %s phrase */
	SR_W_OPENS,           /* "Öppnas %s" */
	SR_W_RULE_COMPLETED,  /* "när modulen %s är klar" */
	SR_W_RULE_REVIEWED,   /* "när behandlaren har gett återkoppling på modulen %s" */
	SR_W_RULE_DAYS_START, /* "%ld dagar efter start" */
	SR_W_RULE_DAY_START,  /* "1 dag efter start" */
	SR_W_RULE_DAYS_MODULE,/* "%ld dagar efter att modulen %s är klar" */
	SR_W_RULE_DAY_MODULE, /* "1 dag efter att modulen %s är klar" */
	SR_W_RULE_AND,        /* "%s och %s" */
	SR_W_RULE_OR,         /* "%s eller %s" */
	SR_W_HAS_ERRORS,      /* the page of a program's errors: its title */
	SR_W_NO_GOOD_VERSION, /* ... and what it means */
	SR_W_COUNT
} sr_word;

typedef struct sr_words {
	const char *lang;
	const char *w[SR_W_COUNT];
} sr_words;

/* The table for lang (NULL: the default); never NULL. */
const sr_words *sr_words_for(const char *lang);
/* One word of a table. */
const char *sr_w(const sr_words *t, sr_word w);

#endif
