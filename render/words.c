/*
 * words.c — the interface words of the rendered pages (words.h).
 */
#include <string.h>
#include "words.h"

static const sr_words swedish = { "sv", {
	[SR_W_START] = "Start",
	[SR_W_NEXT] = "Nästa",
	[SR_W_PREV] = "Föregående",
	[SR_W_PAGE_OF] = "Sida %zu av %zu",
	[SR_W_MODULES] = "Moduler",
	[SR_W_OPEN] = "Öppen",
	[SR_W_LOCKED] = "Låst",
	[SR_W_COMPLETED] = "Klar",
	[SR_W_MINUTES] = "%d min",
	[SR_W_FORMS] = "Skattningar",
	[SR_W_EXERCISES] = "Övningar",
	[SR_W_REQUIRED] = "måste besvaras",
	[SR_W_YES] = "Ja",
	[SR_W_NO] = "Nej",
	[SR_W_SUBMIT] = "Skicka in",
	[SR_W_SAVE] = "Spara",
	[SR_W_UPDATE] = "Visa följdfrågor och uträkningar",
	[SR_W_CLINICIAN] = "Så ser behandlaren resultatet",
	[SR_W_NOT_SUBMITTED] = "Inte inskickad ännu.",
	[SR_W_SCORE_RANGE] = "%s till %s",
	[SR_W_BAND] = "Nivå",
	[SR_W_NO_BAND] = "utanför alla nivåer",
	[SR_W_ALERTS] = "Larm",
	[SR_W_NO_ALERTS] = "Inga larm.",
	[SR_W_FIRES] = "larmar",
	[SR_W_POSSIBLE] = "kan larma, beroende på obesvarade frågor",
	[SR_W_MISSING] = "Obesvarade frågor",
	[SR_W_REQUIRED_MISSING] = "Frågor som måste besvaras saknar svar",
	[SR_W_PRORATED] = "uppräknad från %zu av %zu frågor",
	[SR_W_COMPLETE] = "Alla frågor är besvarade.",
	[SR_W_COMPUTED] = "Uträknat",
	[SR_W_NO_VALUE] = "–",
	[SR_W_DIARY_ENTRIES] = "Dina anteckningar",
	[SR_W_DIARY_EMPTY] = "Inga anteckningar ännu.",
	[SR_W_DIARY_NEW] = "Ny anteckning",
	[SR_W_DIARY_EDIT] = "Ändra",
	[SR_W_ENTRY] = "Anteckning %zu",
	[SR_W_ERRORS] = "Några svar kunde inte tas emot",
	[SR_W_NOT_FOUND] = "Sidan finns inte",
	[SR_W_BAD_REQUEST] = "Felaktig begäran",
	[SR_W_FORBIDDEN] = "Åtkomst nekad",
	[SR_W_OPENS_WHEN] = "Öppnas när: %s",
	[SR_W_OPENS_AFTER_PREV] = "Öppnas när föregående modul är klar",
	[SR_W_ASSESSMENT_AT] = "Fylls i: %s",
	[SR_W_LEVEL_INFO] = "Information",
	[SR_W_LEVEL_WARNING] = "Varning",
	[SR_W_LEVEL_URGENT] = "Brådskande",
	[SR_W_AT_START] = "vid start",
	[SR_W_AT_WEEKLY] = "varje vecka",
	[SR_W_AT_END] = "vid slutet",
	[SR_W_AT_MODULE] = "efter modul %s",
	[SR_W_INSTRUCTIONS] = "Instruktioner",
	[SR_W_SKIP] = "Till innehållet",
	[SR_W_ANSWER_OPTIONAL] = "Inget svar",
	[SR_W_MODULE] = "Modul %zu",
	[SR_W_PREVIEW] = "Förhandsvisning",
	[SR_W_PANEL] = "Behandlingen över tid",
	[SR_W_PANEL_DAY] = "Dag %ld, vecka %ld.",
	[SR_W_PANEL_ENDS] = "Behandlingen slutar dag %ld.",
	[SR_W_PANEL_ENDED] = "Behandlingen är slut.",
	[SR_W_PANEL_REVIEWED] = "återkoppling given",
	[SR_W_PANEL_COMPLETE] = "Markera som klar",
	[SR_W_PANEL_REVIEW] = "Ge återkoppling",
	[SR_W_PANEL_DAY_ON] = "En dag framåt",
	[SR_W_PANEL_WEEK_ON] = "En vecka framåt",
	[SR_W_PANEL_UNDO] = "Ångra",
	[SR_W_PANEL_RESET] = "Börja om",
	[SR_W_PANEL_SCORE] = "Sätt poäng",
	[SR_W_PANEL_SCORE_NAME] = "Poäng (formulär.poäng)",
	[SR_W_PANEL_VALUE] = "Värde",
	[SR_W_PANEL_STATE] = "Läge",
	[SR_W_PANEL_OPENED] = "Öppnades",
	[SR_W_PANEL_DONE_DAY] = "Klar",
	[SR_W_PANEL_HISTORY] = "Det som har hänt",
	[SR_W_PANEL_PLANNED] = "Det som kommer om inget mer görs",
	[SR_W_PANEL_NOTHING] = "Inget.",
	[SR_W_PANEL_PROBLEMS] = "Kunde inte göras",
	[SR_W_PANEL_EV_DAY] = "Dag %ld",
	[SR_W_PANEL_EV_OPEN] = "%s öppnas",
	[SR_W_PANEL_EV_DUE] = "%s ska fyllas i (%s)",
	[SR_W_PANEL_EV_MESSAGE] = "Meddelandet %s skickas",
	[SR_W_PANEL_EV_COMPLETE] = "%s blir klar",
	[SR_W_PANEL_EV_REVIEW] = "Återkoppling på %s",
	[SR_W_PANEL_EV_END] = "Behandlingen slutar",
	[SR_W_OPENS] = "Öppnas %s",
	[SR_W_RULE_COMPLETED] = "när modulen ”%s” är klar",
	[SR_W_RULE_REVIEWED] = "när behandlaren har gett återkoppling på "
		"modulen ”%s”",
	[SR_W_RULE_DAYS_START] = "%ld dagar efter start",
	[SR_W_RULE_DAY_START] = "1 dag efter start",
	[SR_W_RULE_DAYS_MODULE] = "%ld dagar efter att modulen ”%s” är klar",
	[SR_W_RULE_DAY_MODULE] = "1 dag efter att modulen ”%s” är klar",
	[SR_W_RULE_AND] = "%s och %s",
	[SR_W_RULE_OR] = "%s eller %s",
	[SR_W_HAS_ERRORS] = "Programmet har fel",
	[SR_W_NO_GOOD_VERSION] = "Det finns ännu ingen version utan fel att "
		"visa. Sidan laddas om av sig själv när felen är rättade.",
} };

static const sr_words *const tables[] = { &swedish };

const sr_words *sr_words_for(const char *lang)
{
	if (lang)
		for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
			size_t n = strlen(tables[i]->lang);
			if (!strncmp(lang, tables[i]->lang, n) &&
			    (lang[n] == 0 || lang[n] == '-'))
				return tables[i];
		}
	return &swedish;
}

const char *sr_w(const sr_words *t, sr_word w)
{
	const char *s = (unsigned)w < SR_W_COUNT ? t->w[w] : NULL;
	return s ? s : "";
}
