/*
 * words.c — the server pages' words in Swedish (words.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "util.h"
#include "vocab.h"
#include "../why.h"
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
	[SV_W_APPROVE] = "Godkänn",
	[SV_W_PUBLISH] = "Publicera",
	[SV_W_UNPUBLISH] = "Dra tillbaka",
	[SV_W_RETIRE] = "Avveckla",
	[SV_W_USER_ADD] = "Lägg till användare",
	[SV_W_USER_DEACTIVATE] = "Avaktivera användare",
	[SV_W_IMPORT] = "Importera",
	[SV_W_CHOOSE_UNITS] = "Välj enheter",
	[SV_W_VIEW_BANNER] = "Förhandsvisning av %s som patienten ser den. "
		"Svar som prövas här sparas inte.",
	[SV_W_PRODUCER] = "Producent",
	[SV_W_SIGNATURE] = "Signatur",
	[SV_W_SIGNED_BY] = "Nyckel %s av %s, verifierad vid importen",
	[SV_W_UNSIGNED] = "Osignerad (togs emot utan signatur)",
	[SV_W_IMPORTED_BY] = "Importerad %s av %s",
	[SV_W_APPROVED_BY] = "Godkänd %s av %s",
	[SV_W_RETIRED_BY] = "Avvecklad %s av %s",
	[SV_W_NOT_APPROVED] = "Inte godkänd",
	[SV_W_PUB_ACT_COUNT] = "Publicerad till %s, aktiv vid %s",
	[SV_W_N_UNITS_ONE] = "%lld enhet",
	[SV_W_N_UNITS] = "%lld enheter",
	[SV_W_IMPORT_BUNDLE] = "Importera en version",
	[SV_W_BUNDLE_FILE] = "Bundle (.steg)",
	[SV_W_ALLOW_UNSIGNED] = "Ta emot en osignerad bundle (skrivs i "
		"granskningsloggen)",
	[SV_W_USERS] = "Användare",
	[SV_W_NAME] = "Namn",
	[SV_W_ROLE] = "Roll",
	[SV_W_UNIT] = "Enhet",
	[SV_W_HSA_ID] = "HSA-id",
	[SV_W_ACTOR] = "Vem",
	[SV_W_ACTION] = "Åtgärd",
	[SV_W_OBJECT] = "Objekt",
	[SV_W_OUTCOME] = "Utfall",
	[SV_W_DETAIL] = "Detaljer",
	[SV_W_TIME] = "Tid (UTC)",
	[SV_W_FROM] = "Från och med (ÅÅÅÅ-MM-DD)",
	[SV_W_TO] = "Till och med (ÅÅÅÅ-MM-DD)",
	[SV_W_FILTER] = "Filtrera",
	[SV_W_CHAIN_OK] = "Granskningsloggen håller: %lld rader, var och en "
		"bunden till den före med SHA-256, skydden mot ändringar på plats, "
		"registrets innehåll med sina rader, och loggen bygger vidare på "
		"alla %d signerade kontrollpunkter.",
	[SV_W_CHAIN_OK_NO_CP] = "Granskningsloggen håller: %lld rader, var och "
		"en bunden till den före med SHA-256, skydden mot ändringar på "
		"plats och registrets innehåll med sina rader.",
	[SV_W_CHECK_FAILED] = "Granskningsloggen håller inte: %s",
	[SV_W_CHECKPOINTS] = "Signerade kontrollpunkter",
	[SV_W_NO_CHECKPOINTS] = "Inga signerade kontrollpunkter finns. Regionen "
		"signerar loggens senaste rad med 'steg audit checkpoint --key "
		"NYCKEL', som sparar den i",
	[SV_W_CP_FILE] = "Fil",
	[SV_W_CP_ROW] = "Rad",
	[SV_W_CP_SIGNED] = "Signerad",
	[SV_W_CP_KEY] = "Nyckel",
	[SV_W_CP_HOLDS] = "Loggen bygger vidare på den",
	[SV_W_CP_FAILS] = "Håller inte (se ovan)",
	[SV_W_CP_UNCHECKED] = "Inte kontrollerad",
	[SV_W_CHAIN_BROKEN] = "Kedjan är bruten vid rad %lld: %s",
	[SV_W_DEACTIVATED] = "Avaktiverad",
	[SV_W_ANY] = "alla",
	[SV_W_REGION_WIDE] = "hela regionen",
	[SV_W_NO_UNITS_LEFT] = "Versionen är redan publicerad till alla "
		"enheter du kan välja.",
	[SV_W_NOT_PUBLISHED_ANYWHERE] = "Versionen är inte publicerad till "
		"någon enhet du kan välja.",
	[SV_W_S_ACTIVATE] = "%s börjar erbjuda %s version %s.",
	[SV_W_S_SWITCH] = "%s byter %s från version %s till %s.",
	[SV_W_S_ACTIVATED] = "%s erbjuder nu %s version %s.",
	[SV_W_S_SWITCHED] = "%s har bytt %s från version %s till %s.",
	[SV_W_S_ALREADY_ACTIVE] = "%s version %s är redan aktiv vid %s. "
		"Inget ändrades.",
	[SV_W_S_DEACTIVATE] = "%s slutar erbjuda %s version %s. Historiken "
		"sparas.",
	[SV_W_S_DEACTIVATED] = "%s erbjuder inte längre %s version %s.",
	[SV_W_S_NOT_ACTIVE] = "%s har inte %s version %s aktiv. Inget ändrades.",
	[SV_W_S_APPROVE] = "Version %s av %s godkänns för hela regionen, så att "
		"den kan publiceras till enheterna.",
	[SV_W_S_APPROVED] = "Version %s av %s är godkänd.",
	[SV_W_S_ALREADY_APPROVED] = "Version %s av %s var redan godkänd. "
		"Inget ändrades.",
	[SV_W_S_RETIRE] = "Version %s av %s avvecklas: den kan inte längre "
		"publiceras eller aktiveras. Enheter som redan kör den fortsätter.",
	[SV_W_S_RETIRED] = "Version %s av %s är avvecklad.",
	[SV_W_S_ALREADY_RETIRED] = "Version %s av %s var redan avvecklad. "
		"Inget ändrades.",
	[SV_W_S_PUBLISH] = "Version %s av %s publiceras till de enheter du "
		"väljer, så att deras behandlare kan aktivera den.",
	[SV_W_S_UNPUBLISH] = "Version %s av %s dras tillbaka från de enheter du "
		"väljer. Historiken sparas.",
	[SV_W_S_PUBLISHED] = "Version %s av %s är publicerad till %s.",
	[SV_W_S_UNPUBLISHED] = "Version %s av %s är tillbakadragen från %s.",
	[SV_W_S_ALREADY_PUBLISHED] = "Version %s av %s var redan publicerad där. "
		"Inget ändrades.",
	[SV_W_S_NOT_PUBLISHED] = "Version %s av %s var inte publicerad där. "
		"Inget ändrades.",
	[SV_W_S_USER_ADD] = "%s (%s) läggs till som %s vid %s.",
	[SV_W_S_USER_ADDED] = "%s (%s) är tillagd som %s vid %s.",
	[SV_W_S_USER_DEACTIVATE] = "%s (%s) avaktiveras och kan inte längre "
		"göra något. Historiken sparas.",
	[SV_W_S_USER_DEACTIVATED] = "%s (%s) är avaktiverad.",
	[SV_W_S_USER_ALREADY_GONE] = "%s (%s) var redan avaktiverad. Inget "
		"ändrades.",
	[SV_W_S_USER_ROLE] = "%s (%s) blir %s vid %s. Nu är hen %s vid %s.",
	[SV_W_S_USER_ROLED] = "%s (%s) är nu %s vid %s.",
	[SV_W_S_USER_SAME_ROLE] = "%s (%s) är redan %s vid %s. Inget ändrades.",
	[SV_W_S_UNIT_ADD] = "Vårdenheten %s (%s) läggs till i regionen, så att "
		"program kan publiceras till den och användare arbeta där.",
	[SV_W_S_UNIT_ADDED] = "Vårdenheten %s (%s) är tillagd.",
	[SV_W_S_TRUST] = "Nyckel %s blir betrodd för %s: program och kanaler "
		"som den signerar för den regionen tas emot.",
	[SV_W_S_TRUSTED] = "Nyckel %s är betrodd för %s.",
	[SV_W_S_UNTRUST] = "Nyckel %s för %s är inte längre betrodd: nya "
		"importer och synkroniseringar som den har signerat nekas. Redan "
		"importerade versioner ligger kvar, och historiken sparas.",
	[SV_W_S_UNTRUSTED] = "Nyckel %s för %s är inte längre betrodd.",
	[SV_W_S_IMPORTED] = "%s är importerad. En utgivare granskar och godkänner "
		"den innan den kan publiceras.",
	[SV_W_S_ALREADY_IMPORTED] = "%s var redan importerad med samma innehåll. "
		"Inget ändrades.",
	[SV_W_COMPARE] = "Jämför",
	[SV_W_COMPARE_WITH] = "Jämför med %s",
	[SV_W_DIFF_HEADING] = "Ändringar i %s",
	[SV_W_DIFF_FROM] = "Från version",
	[SV_W_DIFF_TO] = "Till version",
	[SV_W_DIFF_NONE] = "Inga ändringar från version %s till %s.",
	[SV_W_DIFF_SUMMARY] = "Från version %s till %s: en ändring på nivån %s "
		"(antal ändringar: %zu). Den kräver minst version %s.",
	[SV_W_DIFF_TOO_SMALL] = "Versionsnumret %s är för litet för en ändring "
		"på nivån %s: den kräver minst %s.",
	[SV_W_DIFF_LEVEL] = "Nivå",
	[SV_W_DIFF_WHAT] = "Vad",
	[SV_W_DIFF_HOW] = "Ändring",
	[SV_W_DIFF_LEGEND] = "major: poäng går inte längre att jämföra med "
		"tidigare svar, eller något som sparade svar hänvisar till är "
		"borta. minor: något nytt, eller ändrade regler för upplägget, som "
		"behåller jämförbarheten. patch: text.",
	[SV_W_CHANNELS] = "Kanaler",
	[SV_W_CHANNELS_INTRO] = "Kanalerna som registret hämtar partnerregioners "
		"program från (steg sync), med hur den senaste synkroniseringen "
		"från var och en gick.",
	[SV_W_NO_CHANNELS] = "Registret har inte synkroniserat från någon "
		"kanal.",
	[SV_W_CHANNEL] = "Kanal",
	[SV_W_SYNC_LAST] = "Senaste synkronisering",
	[SV_W_SYNC_LAST_OK] = "Senast lyckad",
	[SV_W_SYNC_PARTNER] = "Partner",
	[SV_W_SYNC_NO_PARTNER] = "Inget index godtaget än",
	[SV_W_SYNC_OK] = "Lyckades",
	[SV_W_SYNC_PARTIAL] = "Lyckades delvis: några versioner togs inte emot",
	[SV_W_SYNC_REFUSED] = "Nekades",
	[SV_W_SYNC_ERROR] = "Misslyckades",
	[SV_W_SYNC_NEVER] = "Aldrig",
	[SV_W_SYNC_AT_BY] = "%s av %s",
	[SV_W_SYNC_SEQUENCE] = "%s, indexets sekvensnummer %lld, giltigt till "
		"%s",
	[SV_W_WHY_CHANNELS_ROLE] = "Kanalerna är till för utgivare och "
		"administratörer.",
	[SV_W_UNIT_ADD] = "Lägg till vårdenhet",
	[SV_W_USER_ROLE] = "Byt roll",
	[SV_W_KEEP_UNIT] = "Samma enhet som nu",
	[SV_W_TRUST_ADD] = "Lita på en nyckel",
	[SV_W_TRUST_REMOVE] = "Sluta lita på nyckeln",
	[SV_W_TRUSTED_KEYS] = "Betrodda nycklar",
	[SV_W_TRUSTED_INTRO] = "De publika nycklar (minisign) vars signaturer "
		"registret godtar, och för vilken region var och en får signera: "
		"regionens egen och partnerregionernas.",
	[SV_W_REGION] = "Region",
	[SV_W_KEY_ID] = "Nyckel-id",
	[SV_W_ADDED] = "Tillagd %s av %s",
	[SV_W_REMOVED] = "Borttagen %s av %s",
	[SV_W_COMMENT] = "Kommentar (valfri)",
	[SV_W_KEY_FILE] = "Publik nyckel (.pub)",
	[SV_W_NO_KEYS] = "Registret litar inte på någon nyckel.",
	[SV_W_WHY_KEY_FORM] = "Ladda upp nyckelfilen med formuläret på sidan "
		"Betrodda nycklar.",
	[SV_W_WHY_ADMINS] = "Sidan är till för administratörer.",
	[SV_W_LEAD_400] = "Begäran gick inte att läsa: ett fält saknas eller är "
		"felaktigt. Gå tillbaka, rätta och försök igen.",
	[SV_W_LEAD_403] = "Du får inte göra det här med din roll och enhet, "
		"eller så kom begäran inte från registrets egen sida. Inget "
		"ändrades; försöket står i granskningsloggen. Be en administratör "
		"om hjälp om du behöver det.",
	[SV_W_LEAD_404] = "Det du bad om finns inte i registret. Inget ändrades.",
	[SV_W_LEAD_409] = "Registrets regler tillåter inte det i det här läget. "
		"Inget ändrades; försöket står i granskningsloggen.",
	[SV_W_LEAD_413] = "Filen är större än servern tar emot. Inget ändrades.",
	[SV_W_LEAD_422] = "Versionen klarar inte kontrollerna vid import och "
		"togs inte emot. Inget ändrades; försöket står i "
		"granskningsloggen.",
	[SV_W_LEAD_500] = "Något gick fel i servern; skälet står nedan. Kontakta "
		"förvaltningen om det inte går över.",
	[SV_W_REASON] = "Skäl:",
	[SV_W_WHY_VERSIONS_ROLE] = "Versionerna är till för utgivare och "
		"administratörer.",
	[SV_W_WHY_OTHER_UNIT] = "Du arbetar vid en annan enhet och ser och "
		"ändrar bara din egen enhets program. Be någon vid den enheten, "
		"eller en administratör för hela regionen.",
	[SV_W_WHY_NO_UNIT] = "Det finns ingen sådan vårdenhet i registret. Välj "
		"en vårdenhet i listan på startsidan.",
	[SV_W_WHY_AUDIT_ROLE] = "Granskningsloggen är till för administratörer.",
	[SV_W_WHY_AUDIT_UNIT] = "Du administrerar en annan enhet och ser bara "
		"din egen enhets rader i granskningsloggen.",
	[SV_W_WHY_USERS_ROLE] = "Användarna sköts av administratörer.",
	[SV_W_WHY_VIEW_UNIT] = "Versionen är inte publicerad till din enhet. Be "
		"en utgivare publicera den dit om enheten ska erbjuda den.",
	[SV_W_VIEW_BROKEN] = "Versionens lagrade paket går inte att öppna "
		"eller kontrollera, så programmet kan inte visas. Be registrets "
		"administratör undersöka det.",
	[SV_W_MEDIA_NONE] = "Programmet har ingen mediefil med det namnet.",
	[SV_W_MEDIA_UNREADABLE] = "Mediefilen går inte att läsa ur versionens "
		"paket. Be registrets administratör undersöka det.",
	[SV_W_TOO_LARGE] = "Det som skickades är större än servern tar emot.",
	[SV_W_TOO_LARGE_BUNDLE] = "Det som skickades är större än servern tar "
		"emot. Ett programpaket får vara högst %s.",
	[SV_W_TOO_LARGE_KEY] = "Det som skickades är större än servern tar "
		"emot. En nyckelfil får vara högst %s.",
	[SV_W_LOGIN_NONE] = "Webbläsaren skickade inget certifikat. Sätt i ditt "
		"SITHS-kort, eller välj ditt certifikat när webbläsaren frågar, och "
		"ladda om sidan.",
	[SV_W_LOGIN_UNTRUSTED] = "Certifikatet är inte utfärdat av den utfärdare "
		"som registret godtar för personalens inloggning. Välj ditt "
		"SITHS-certifikat, eller be förvaltningen om hjälp.",
	[SV_W_LOGIN_EXPIRED] = "Certifikatet har gått ut. Skaffa ett nytt kort "
		"eller certifikat hos den som utfärdar dem i regionen.",
	[SV_W_LOGIN_NOT_YET] = "Certifikatet gäller inte än. Försök igen när det "
		"börjar gälla, eller be förvaltningen om hjälp.",
	[SV_W_LOGIN_REVOKED] = "Certifikatet är spärrat. Be den som utfärdar "
		"kort i regionen om ett nytt.",
	[SV_W_LOGIN_NO_HSA] = "Certifikatet bär inget HSA-id (eller fler än "
		"ett). Välj ditt SITHS-certifikat för inloggning.",
	[SV_W_LOGIN_UNKNOWN] = "%s är inte användare i registret. Be en "
		"administratör lägga till dig.",
	[SV_W_LOGIN_DEACTIVATED] = "Användaren %s är avaktiverad. Be en "
		"administratör om hjälp om du ska arbeta här igen.",
	[SV_W_WHY_DIFF_ARGS] = "Ange programmet och två versioner att jämföra: "
		"?program=ID&from=VERSION&to=VERSION.",
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

void sv_units(char *out, size_t cap, long long n)
{
	snprintf(out, cap, sv[n == 1 ? SV_W_N_UNITS_ONE : SV_W_N_UNITS], n);
}

void sv_time(char *out, size_t cap, const char *utc)
{
	long long t;
	struct tm tm;
	if (utc && st_time_parse(&t, utc) == ST_OK) {
		time_t tt = (time_t)t;
		if (localtime_r(&tt, &tm) &&
		    strftime(out, cap, "%Y-%m-%d %H:%M %Z", &tm))
			return;
	}
	snprintf(out, cap, "%s", utc ? utc : "");
}

/* ---- why a change was refused (why.h's codes) ---------------------------
 * Each says what happened and what to do on these pages, or whom to ask;
 * never a command to type.  %1$s ... are the code's arguments in
 * why.h's order; roles come in Swedish. */
static const char *const why_sv[RT_WHY_COUNT] = {
	[RT_WHY_NO_ACTOR] = "Registret vet inte vem du är. Logga in med ditt "
		"kort och försök igen.",
	[RT_WHY_NOT_HSA_ID] = "”%1$s” är inte ett HSA-id. Be en administratör "
		"se över ditt certifikat.",
	[RT_WHY_UNKNOWN_ACTOR] = "%1$s är inte användare i registret. Be en "
		"administratör lägga till dig.",
	[RT_WHY_ACTOR_DEACTIVATED] = "Användaren %1$s är avaktiverad och kan "
		"inte göra något i registret. Be en administratör om hjälp om du "
		"ska arbeta här igen.",
	[RT_WHY_WRONG_ROLE] = "Du (%1$s) är %2$s, och det här kräver rollen "
		"%3$s. Be en administratör om hjälp om du behöver göra det.",
	[RT_WHY_OTHER_UNIT] = "Du (%1$s) arbetar vid enheten %2$s, inte vid "
		"%3$s, och gör det här bara vid din egen enhet. Be någon vid %3$s "
		"eller en administratör för hela regionen.",
	[RT_WHY_REGION_ADMIN_UNITS] = "Du (%1$s) är administratör för enheten "
		"%2$s. Bara en administratör för hela regionen lägger till "
		"vårdenheter; be en sådan om hjälp.",
	[RT_WHY_REGION_ADMIN_KEYS] = "Du (%1$s) är administratör för enheten "
		"%2$s. Bara en administratör för hela regionen ändrar vilka "
		"nycklar registret litar på; be en sådan om hjälp.",
	[RT_WHY_REGION_ADMIN_POLICY] = "Du (%1$s) är administratör för enheten "
		"%2$s. Bara en administratör för hela regionen ändrar regionens "
		"regler; be en sådan om hjälp.",
	[RT_WHY_NO_SUCH_VERSION] = "Programmet %1$s har ingen version %2$s. "
		"Det har %3$s. Gå tillbaka och välj en av dem.",
	[RT_WHY_UNKNOWN_PROGRAM] = "Programmet %1$s finns inte i registret. En "
		"utgivare importerar det på sidan Versioner.",
	[RT_WHY_NOT_A_CARE_UNIT] = "%1$s är inte en vårdenhet. Välj en "
		"vårdenhet i listan på startsidan.",
	[RT_WHY_UNKNOWN_UNIT] = "Det finns ingen vårdenhet %1$s i registret. "
		"Välj en vårdenhet i listan på startsidan.",
	[RT_WHY_APPROVE_REGION_WIDE] = "Du (%1$s) är utgivare för enheten %2$s. "
		"Ett godkännande gäller hela regionen, så bara en utgivare för hela "
		"regionen godkänner; be en sådan om hjälp.",
	[RT_WHY_RETIRED_APPROVE] = "%1$s är avvecklad (%2$s av %3$s) och kan "
		"inte godkännas.",
	[RT_WHY_FOUR_EYES] = "Du (%1$s) importerade %2$s, och regionen kräver "
		"att två personer granskar en version: en annan utgivare för hela "
		"regionen godkänner den.",
	[RT_WHY_RETIRE_REGION_WIDE] = "Du (%1$s) arbetar vid enheten %2$s. Bara "
		"en administratör eller utgivare för hela regionen avvecklar en "
		"version; be en sådan om hjälp.",
	[RT_WHY_ALL_UNITS_REGION_WIDE] = "Du (%1$s) arbetar vid enheten %2$s. "
		"Bara en administratör eller utgivare för hela regionen väljer alla "
		"enheter på en gång; välj dina enheter en och en.",
	[RT_WHY_NO_UNIT_CHOSEN] = "Ingen enhet valdes. Gå tillbaka och kryssa i "
		"minst en vårdenhet.",
	[RT_WHY_RETIRED_PUBLISH] = "%1$s är avvecklad (%2$s av %3$s) och kan "
		"inte publiceras. Publicera en nyare version.",
	[RT_WHY_NOT_APPROVED_PUBLISH] = "%1$s är inte godkänd. En utgivare för "
		"hela regionen godkänner den först (Godkänn på sidan Versioner); "
		"publicera den sedan.",
	[RT_WHY_ACTIVE_AT_UNIT] = "%1$s är aktiv vid %2$s. Enheten avaktiverar "
		"den först (Avaktivera på enhetens sida); dra sedan tillbaka den.",
	[RT_WHY_RETIRED_ACTIVATE] = "%1$s är avvecklad (%2$s av %3$s) och kan "
		"inte aktiveras. Aktivera en nyare version om enheten har en.",
	[RT_WHY_NOT_APPROVED_ACTIVATE] = "%1$s är inte godkänd än. Be en "
		"utgivare godkänna den; sedan kan den aktiveras.",
	[RT_WHY_NOT_PUBLISHED] = "%1$s är inte publicerad till %2$s. Be en "
		"utgivare publicera den till enheten; sedan kan den aktiveras där.",
	[RT_WHY_UNKNOWN_UNIT_ADD] = "Det finns ingen vårdenhet %1$s i registret. "
		"En administratör för hela regionen lägger till den (Lägg till "
		"vårdenhet på startsidan).",
	[RT_WHY_CLINICIAN_AT_REGION] = "En behandlare arbetar vid en vårdenhet. "
		"Gå tillbaka och välj enheten.",
	[RT_WHY_USER_EXISTS] = "Användaren %1$s finns redan (%2$s vid %3$s). "
		"Byt roll eller enhet på sidan Användare om det behövs.",
	[RT_WHY_USER_EXISTS_GONE] = "Användaren %1$s finns redan (%2$s vid %3$s, "
		"avaktiverad). Lägg till personen under ett annat HSA-id.",
	[RT_WHY_REGION_NOT_PERSON] = "%1$s är regionens HSA-id, inte en persons. "
		"Ange personens eget HSA-id.",
	[RT_WHY_LAST_ADMIN] = "%1$s är den sista aktiva administratören för hela "
		"regionen. Lägg först till en till på sidan Användare.",
	[RT_WHY_UNKNOWN_USER] = "Det finns ingen användare %1$s i registret. Se "
		"listan på sidan Användare.",
	[RT_WHY_USER_DEACTIVATED] = "Användaren %1$s är avaktiverad och får "
		"ingen ny roll. Lägg till personen igen under ett annat HSA-id, "
		"eller låt det vara.",
	[RT_WHY_UNIT_EXISTS] = "%1$s finns redan som vårdenhet. Inget behöver "
		"läggas till.",
	[RT_WHY_IS_THE_REGION] = "%1$s är regionens eget HSA-id, inte en "
		"vårdenhets.",
	[RT_WHY_KEY_TRUSTED] = "Nyckel %1$s är redan betrodd för %2$s. Sluta "
		"lita på den där först (sidan Betrodda nycklar) om den ska gälla "
		"för en annan region.",
	[RT_WHY_NO_TRUSTED_KEY] = "%1$s har ingen betrodd nyckel %2$s. Se "
		"listan på sidan Betrodda nycklar.",
	[RT_WHY_BUNDLE_TOO_LARGE] = "Filen %1$s är större än registrets gräns "
		"på %2$s MiB. Be den som gav ut programmet att göra dess bilder "
		"och filmer mindre.",
	[RT_WHY_BUNDLE_DAMAGED] = "Filen %1$s är skadad eller osäker (fynden "
		"ovan säger hur). Hämta den på nytt från utgivaren och ladda upp "
		"den igen.",
	[RT_WHY_BUNDLE_CHANGED] = "Filen %1$s ändrades medan den lästes. Ladda "
		"upp den igen.",
	[RT_WHY_BUNDLE_DOES_NOT_CHECK] = "Programmet i %1$s klarar inte "
		"kontrollerna (fynden ovan säger var). Den som skrev programmet "
		"rättar det och bygger en ny version.",
	[RT_WHY_BUNDLE_BAD_VERSION] = "Filen %1$s har versionen ”%2$s”, som inte "
		"är ett versionsnummer som 1.2.3. Den som skrev programmet bygger "
		"det med ett riktigt versionsnummer.",
	[RT_WHY_BUNDLE_UNSIGNED] = "Filen %1$s är inte signerad. Ladda upp en "
		"signerad version, eller kryssa i ”Ta emot en osignerad bundle” om "
		"regionen godtar den (det står i granskningsloggen).",
	[RT_WHY_PARTNER_UNSIGNED] = "Filen %1$s är inte signerad men anger som "
		"producent %2$s, en partnerregion som registret litar på. En "
		"partners program tas bara emot med partnerns signatur: be %2$s om "
		"den signerade versionen.",
	[RT_WHY_SIGNATURE] = "Signaturen godtas inte: den är inte gjord med en "
		"nyckel som registret litar på, den har gått ut, eller den hör inte "
		"till filen. Be utgivaren om en nysignerad version, eller en "
		"administratör för hela regionen att se över de betrodda "
		"nycklarna. Skälet står på engelska i granskningsloggen.",
	[RT_WHY_SIGNATURE_CLAIMS] = "Filen %1$s är inte vad signaturen säger: "
		"signaturen gäller ett annat program, en annan version eller en "
		"annan producent. En nyckel som är betrodd för %3$s gäller bara "
		"%3$s egna program; be %3$s signera filen på nytt.",
	[RT_WHY_VERSION_CHANGED] = "%1$s är redan importerad med annat innehåll. "
		"En version ändras aldrig: den som skrev programmet bygger det nya "
		"innehållet som en ny version.",
	[RT_WHY_OTHER_PRODUCER] = "Program-id %1$s tillhör en annan producent: "
		"registret har redan %1$s@%2$s, och den här filens producent är "
		"%4$s. En region som anpassar en partners program ger det ett eget "
		"id.",
	[RT_WHY_CSRF_SITE] = "Begäran kom från en annan webbplats, och en sådan "
		"får inte ändra något. Gör ändringen från registrets egna sidor.",
	[RT_WHY_CSRF_ORIGIN] = "Begäran kom från en annan webbplats, och en "
		"sådan får inte ändra något. Gör ändringen från registrets egna "
		"sidor.",
	[RT_WHY_CSRF_TOKEN] = "Sidan du skickade från är för gammal (servern har "
		"startats om sedan dess) eller kom inte från registret. Ladda om "
		"sidan och försök igen.",
};

const char *sv_why_template(int code)
{
	return code > RT_WHY_NONE && code < RT_WHY_COUNT ? why_sv[code] : NULL;
}

/* 'r': "administratör" (as sv_role_word). */
static void role_sv(char *out, size_t cap, const char *role)
{
	snprintf(out, cap, "%s", sv_role_word(role));
}

int sv_why_words(char *out, size_t cap, const rt_why *w)
{
	const char *tmpl = sv_why_template(w->code);
	const char *kinds = rt_why_kinds(w->code);
	const char *args[RT_WHY_NARGS];
	char conv[RT_WHY_NARGS][128];

	if (cap)
		out[0] = '\0';
	if (!tmpl || !kinds)
		return -1;
	for (size_t i = 0; i < RT_WHY_NARGS; i++) {
		char kind = i < strlen(kinds) ? kinds[i] : 's';
		args[i] = w->arg[i];
		if (kind == 'r' || kind == 'o')
			args[i] = sv_role_word(w->arg[i]);
		if (kind == 'm') {
			rt_why_roles(conv[i], sizeof conv[i], w->arg[i],
			             role_sv, " eller ");
			args[i] = conv[i];
		}
	}
	rt_why_expand(out, cap, tmpl, args, RT_WHY_NARGS);
	st_utf8_trim(out);
	return 0;
}
