/*
 * words.c — the server pages' words in Swedish (words.h).
 */
#include <string.h>
#include "words.h"

static const char *const sv[SV_W_COUNT] = {
	[SV_W_MENU] = "Meny",
	[SV_W_PROGRAMS] = "Program",
	[SV_W_VERSIONS] = "Versioner",
	[SV_W_AUDIT] = "Granskningslogg",
	[SV_W_UNITS] = "Vårdenheter",
	[SV_W_UNIT_PROGRAMS] = "Program vid %s",
	[SV_W_PROGRAM] = "Program",
	[SV_W_TITLE] = "Titel",
	[SV_W_VERSION] = "Version",
	[SV_W_STATE] = "Läge",
	[SV_W_ACTIVE] = "Aktiv",
	[SV_W_AVAILABLE] = "Tillgänglig",
	[SV_W_NEWER] = "Nyare version finns: %s",
	[SV_W_NONE_PUBLISHED] = "Inget program är publicerat till enheten.",
	[SV_W_ACTIVATE] = "Aktivera",
	[SV_W_DEACTIVATE] = "Avaktivera",
	[SV_W_OPEN_VIEW] = "Visa som patient",
	[SV_W_ACTIONS] = "Åtgärder",
	[SV_W_FORBIDDEN] = "Åtkomst nekad",
	[SV_W_NOT_FOUND] = "Sidan finns inte",
	[SV_W_BAD_REQUEST] = "Felaktig begäran",
	[SV_W_ERROR] = "Något gick fel",
	[SV_W_ROLE_ADMIN] = "administratör",
	[SV_W_ROLE_PUBLISHER] = "utgivare",
	[SV_W_ROLE_CLINICIAN] = "behandlare",
	[SV_W_CONFIRM] = "Bekräfta",
	[SV_W_CANCEL] = "Avbryt",
	[SV_W_DONE] = "Klart",
	[SV_W_REFUSED] = "Nekades",
	[SV_W_BACK] = "Tillbaka",
};

const char *sv_w(sv_word w)
{
	return (unsigned)w < SV_W_COUNT && sv[w] ? sv[w] : "";
}

const char *sv_role_word(const char *role)
{
	if (!role)
		return "";
	if (!strcmp(role, "admin"))
		return sv[SV_W_ROLE_ADMIN];
	if (!strcmp(role, "publisher"))
		return sv[SV_W_ROLE_PUBLISHER];
	if (!strcmp(role, "clinician"))
		return sv[SV_W_ROLE_CLINICIAN];
	return role;
}
