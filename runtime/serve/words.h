/*
 * words.h — the words the server's own pages say (headings, buttons, the
 * refusal pages), in Swedish: a sibling of the renderer's table
 * (render/words.h), which holds the words of a program's pages.  One
 * table, so that a translation is one more table.
 */
#ifndef SV_WORDS_H
#define SV_WORDS_H

#include <stddef.h>

struct rt_why;

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
	SV_W_APPROVE,
	SV_W_PUBLISH,
	SV_W_UNPUBLISH,
	SV_W_RETIRE,
	SV_W_USER_ADD,
	SV_W_USER_DEACTIVATE,
	SV_W_IMPORT,
	SV_W_CHOOSE_UNITS,
	SV_W_VIEW_BANNER,     /* "Förhandsvisning av %s ..." */
	SV_W_PRODUCER,
	SV_W_SIGNATURE,
	SV_W_SIGNED_BY,       /* "Nyckel %s av %s, verifierad vid importen" */
	SV_W_UNSIGNED,
	SV_W_IMPORTED_BY,     /* "Importerad %s av %s" */
	SV_W_APPROVED_BY,     /* "Godkänd %s av %s" */
	SV_W_RETIRED_BY,
	SV_W_NOT_APPROVED,
	SV_W_PUB_ACT_COUNT,   /* "Publicerad till %s, aktiv vid %s" (sv_units) */
	SV_W_N_UNITS_ONE,     /* "%lld enhet" */
	SV_W_N_UNITS,         /* "%lld enheter" */
	SV_W_IMPORT_BUNDLE,
	SV_W_BUNDLE_FILE,
	SV_W_ALLOW_UNSIGNED,
	SV_W_USERS,
	SV_W_NAME,
	SV_W_ROLE,
	SV_W_UNIT,
	SV_W_HSA_ID,
	SV_W_ACTOR,
	SV_W_ACTION,
	SV_W_OBJECT,
	SV_W_OUTCOME,
	SV_W_DETAIL,
	SV_W_TIME,
	SV_W_FROM,
	SV_W_TO,
	SV_W_FILTER,
	SV_W_CHAIN_OK,        /* "Kedjan håller: %lld rader ..." */
	SV_W_CHAIN_OK_NO_CP,  /* the same, no checkpoint: "%lld rader" */
	SV_W_CHAIN_BROKEN,    /* "Kedjan är bruten vid rad %lld: %s" */
	SV_W_CHECK_FAILED,    /* "Granskningsloggen håller inte: %s" */
	SV_W_CHECKPOINTS,
	SV_W_NO_CHECKPOINTS,
	SV_W_CP_FILE,
	SV_W_CP_ROW,
	SV_W_CP_SIGNED,
	SV_W_CP_KEY,
	SV_W_CP_HOLDS,
	SV_W_CP_FAILS,
	SV_W_CP_UNCHECKED,
	SV_W_DEACTIVATED,
	SV_W_ANY,
	SV_W_REGION_WIDE,
	SV_W_NO_UNITS_LEFT,
	SV_W_NOT_PUBLISHED_ANYWHERE,
	/* Sentences that say what an action will change or changed; their
	 * %s are, in order, what act.c's sentence() passes (a unit's name U,
	 * a program's title T, versions V, a user's name N and HSA-id H, a
	 * role R, a list of units L, an object O). */
	SV_W_S_ACTIVATE,          /* U T V */
	SV_W_S_SWITCH,            /* U T V(running) V(new) */
	SV_W_S_ACTIVATED,         /* U T V */
	SV_W_S_SWITCHED,          /* U T V(old) V(new) */
	SV_W_S_ALREADY_ACTIVE,    /* T V U */
	SV_W_S_DEACTIVATE,        /* U T V */
	SV_W_S_DEACTIVATED,       /* U T V */
	SV_W_S_NOT_ACTIVE,        /* U T V */
	SV_W_S_APPROVE,           /* V T */
	SV_W_S_APPROVED,
	SV_W_S_ALREADY_APPROVED,
	SV_W_S_RETIRE,            /* V T */
	SV_W_S_RETIRED,
	SV_W_S_ALREADY_RETIRED,
	SV_W_S_PUBLISH,           /* V T */
	SV_W_S_UNPUBLISH,         /* V T */
	SV_W_S_PUBLISHED,         /* V T L */
	SV_W_S_UNPUBLISHED,       /* V T L */
	SV_W_S_ALREADY_PUBLISHED, /* V T */
	SV_W_S_NOT_PUBLISHED,     /* V T */
	SV_W_S_USER_ADD,          /* N H R U */
	SV_W_S_USER_ADDED,        /* N H R U */
	SV_W_S_USER_DEACTIVATE,   /* N H */
	SV_W_S_USER_DEACTIVATED,  /* N H */
	SV_W_S_USER_ALREADY_GONE, /* N H */
	SV_W_S_USER_ROLE,         /* N H R(new) U(new) R(was) U(was) */
	SV_W_S_USER_ROLED,        /* N H R U */
	SV_W_S_USER_SAME_ROLE,    /* N H R U */
	SV_W_S_UNIT_ADD,          /* N H */
	SV_W_S_UNIT_ADDED,        /* N H */
	SV_W_S_TRUST,             /* K(key id) R(region) */
	SV_W_S_TRUSTED,           /* K R */
	SV_W_S_UNTRUST,           /* K R */
	SV_W_S_UNTRUSTED,         /* K R */
	SV_W_S_IMPORTED,          /* O */
	SV_W_S_ALREADY_IMPORTED,  /* O */
	/* The difference between two versions (diffpage.c) */
	SV_W_COMPARE,             /* "Jämför" */
	SV_W_COMPARE_WITH,        /* "Jämför med %s" (the earlier version) */
	SV_W_DIFF_HEADING,        /* "Ändringar i %s" (the program's title) */
	SV_W_DIFF_FROM,
	SV_W_DIFF_TO,
	SV_W_DIFF_NONE,           /* from to */
	SV_W_DIFF_SUMMARY,        /* from to level n(%zu) needed */
	SV_W_DIFF_TOO_SMALL,      /* to level needed */
	SV_W_DIFF_LEVEL,
	SV_W_DIFF_WHAT,
	SV_W_DIFF_HOW,
	SV_W_DIFF_LEGEND,
	/* The channels (channels.c) */
	SV_W_CHANNELS,            /* "Kanaler" */
	SV_W_CHANNELS_INTRO,
	SV_W_NO_CHANNELS,
	SV_W_CHANNEL,
	SV_W_SYNC_LAST,
	SV_W_SYNC_LAST_OK,
	SV_W_SYNC_PARTNER,
	SV_W_SYNC_NO_PARTNER,
	SV_W_SYNC_OK,
	SV_W_SYNC_PARTIAL,
	SV_W_SYNC_REFUSED,
	SV_W_SYNC_ERROR,
	SV_W_SYNC_NEVER,
	SV_W_SYNC_AT_BY,          /* at by */
	SV_W_SYNC_SEQUENCE,       /* region sequence(%lld) expires */
	/* Units and trusted keys (admins) */
	SV_W_UNIT_ADD,
	SV_W_USER_ROLE,           /* "Byt roll" */
	SV_W_KEEP_UNIT,
	SV_W_TRUST_ADD,
	SV_W_TRUST_REMOVE,
	SV_W_TRUSTED_KEYS,        /* "Betrodda nycklar" */
	SV_W_TRUSTED_INTRO,
	SV_W_REGION,
	SV_W_KEY_ID,
	SV_W_ADDED,               /* "Tillagd %s av %s" */
	SV_W_REMOVED,             /* "Borttagen %s av %s" */
	SV_W_COMMENT,
	SV_W_KEY_FILE,
	SV_W_NO_KEYS,
	SV_W_WHY_KEY_FORM,
	SV_W_WHY_ADMINS,
	/* A refusal's lead sentence by status (http.c), and the reason's
	 * label */
	SV_W_LEAD_400,
	SV_W_LEAD_403,
	SV_W_LEAD_404,
	SV_W_LEAD_409,
	SV_W_LEAD_413,
	SV_W_LEAD_422,
	SV_W_LEAD_500,
	SV_W_REASON,
	/* Why a page is refused, for people */
	SV_W_WHY_CHANNELS_ROLE,
	SV_W_WHY_VERSIONS_ROLE,
	SV_W_WHY_DIFF_ARGS,
	SV_W_WHY_OTHER_UNIT,      /* a unit's page or action, another unit */
	SV_W_WHY_NO_UNIT,
	SV_W_WHY_AUDIT_ROLE,
	SV_W_WHY_AUDIT_UNIT,      /* a unit's admin asks for another unit */
	SV_W_WHY_USERS_ROLE,
	SV_W_WHY_VIEW_UNIT,       /* not published to the clinician's unit */
	/* Problems that are no one's refusal, for people */
	SV_W_VIEW_BROKEN,         /* the stored bundle does not open */
	SV_W_MEDIA_NONE,          /* 404: no such media file */
	SV_W_MEDIA_UNREADABLE,    /* 500: the media entry does not read */
	SV_W_TOO_LARGE,           /* 413 */
	SV_W_TOO_LARGE_BUNDLE,    /* 413, %s: the largest bundle */
	SV_W_TOO_LARGE_KEY,       /* 413, %s: the largest key file */
	/* A refused login, by the certificate's verdict (tls.h SV_PEER_*) */
	SV_W_LOGIN_NONE,
	SV_W_LOGIN_UNTRUSTED,
	SV_W_LOGIN_EXPIRED,
	SV_W_LOGIN_NOT_YET,
	SV_W_LOGIN_REVOKED,
	SV_W_LOGIN_NO_HSA,
	SV_W_LOGIN_UNKNOWN,       /* HSA-id */
	SV_W_LOGIN_DEACTIVATED,   /* HSA-id */
	SV_W_COUNT
} sv_word;

/* The word (UTF-8, never NULL). */
const char *sv_w(sv_word w);

/* A refusal's reason in Swedish, from its code and arguments (why.h):
 * what happened and what to do in the web interface or whom to ask, never
 * a command to type.  The template of each code is in words.c, its
 * arguments as %1$s ... (rt_why_expand); a role argument is said in
 * Swedish ("behandlare"), ids as they are.  Returns 0, or -1 (out left
 * "") when the code has no Swedish words: the caller then shows the
 * English message. */
int sv_why_words(char *out, size_t cap, const struct rt_why *w);
/* The Swedish template of a code, NULL when it has none (for tests). */
const char *sv_why_template(int code);
/* "admin" -> "administratör" and so on; an unknown role as it is. */
const char *sv_role_word(const char *role);
/* "1 enhet", "2 enheter". */
void sv_units(char *out, size_t cap, long long n);
/* A time the registry keeps (UTC, "2026-12-03T17:42:52Z", as core/vocab.h's
 * st_time_parse reads it) as the pages show it: in the server's time zone
 * (TZ), to the minute, with the zone, "2026-12-03 18:42 CET"; any other
 * text as it is. */
void sv_time(char *out, size_t cap, const char *utc);

#endif
