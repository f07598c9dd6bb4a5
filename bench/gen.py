#!/usr/bin/env python3
"""bench/gen.py -- generate a large, realistic Steg program for `make bench`.

    python3 bench/gen.py OUTDIR MODULES [--seed N]

Writes OUTDIR/program.yaml, OUTDIR/modules/NNNN-slug.md (about 6 KB of
Swedish-like Markdown each: front matter, pages at level-1 headings,
subheadings, paragraphs, bullet and numbered lists, links to other modules,
images with alternative text, now and then an inline exercise or a rating
form), OUTDIR/forms/ (PHQ-9 and GAD-7 shaped forms) and OUTDIR/media/
(small PNG images, every one used).

The output is a function of MODULES and the seed only, so every run of the
benchmark measures the same bytes.  The text is built from short Swedish
sentences so that its readability (LIX) stays below 50, the default limit,
and a build is free of warnings: the benchmark measures a clean build, which
is what a designer runs most often.  Only the standard library is used.
"""
import os
import random
import struct
import sys
import zlib

SUBJ = ["du", "vi", "många", "den som är nedstämd", "din kropp", "tanken",
        "känslan", "en vän", "behandlaren", "hjärnan", "oron", "sömnen",
        "vardagen", "familjen", "en kollega", "varje steg"]
VERB = ["märker", "prövar", "väljer", "behöver", "känner", "ser", "gör",
        "planerar", "undviker", "minns", "skriver", "följer", "lär sig",
        "övar på", "tänker på", "pratar om", "hittar", "bryter"]
OBJ = ["en liten aktivitet", "ett mönster", "en promenad", "det som är svårt",
       "en plan för veckan", "ett nytt sätt", "vad som hjälper",
       "en paus", "en tanke", "ett mål", "sina värderingar", "en rutin",
       "känslor av skam", "små förändringar", "det som ger energi",
       "beteendeaktivering", "vardagliga uppgifter", "stödet omkring dig"]
TAIL = ["varje dag", "i morgon", "under veckan", "på kvällen", "ibland",
        "när det känns tungt", "i lugn takt", "tillsammans med någon",
        "utan att skynda", "steg för steg", "efter frukost", "i dag"]
TOPICS = [("Att förstå nedstämdhet", "forsta-nedstamdhet"),
          ("Beteendeaktivering", "beteendeaktivering"),
          ("Tankar och känslor", "tankar-och-kanslor"),
          ("Sömn och återhämtning", "somn-och-aterhamtning"),
          ("Värderingar", "varderingar"),
          ("Problemlösning", "problemlosning"),
          ("Oro och grubbel", "oro-och-grubbel"),
          ("Att hantera stress", "hantera-stress"),
          ("Relationer", "relationer"),
          ("Att förebygga återfall", "forebygga-aterfall")]
HEADS = ["Varför är det här viktigt", "Så kan det se ut", "Ett exempel",
         "Prova själv", "Vad säger forskningen", "Vanliga hinder",
         "Att tänka på", "Sammanfattning", "Inför nästa vecka",
         "Frågor och svar"]

N_IMAGES = 12


def sentence(r):
    s = "%s %s %s %s." % (r.choice(SUBJ), r.choice(VERB), r.choice(OBJ),
                          r.choice(TAIL))
    return s[0].upper() + s[1:]


def paragraph(r, n=None):
    return " ".join(sentence(r) for _ in range(n or r.randint(3, 6)))


def png(w, h, seed):
    """A valid RGB PNG of w x h pixels with a simple pattern."""
    rows = b""
    for y in range(h):
        rows += b"\0" + bytes(((x * 7 + y * 3 + seed * 31) & 0xFF)
                              for x in range(w * 3))
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def names(n):
    width = max(2, len(str(n)))
    out = []
    for i in range(n):
        title, slug = TOPICS[i % len(TOPICS)]
        if i >= len(TOPICS):
            title = "%s, del %d" % (title, i // len(TOPICS) + 1)
            slug = "%s-%d" % (slug, i // len(TOPICS) + 1)
        out.append(("%0*d-%s.md" % (width, i + 1, slug), title, slug))
    return out


def module(r, i, mods, target=6000):
    fname, title, slug = mods[i]
    out = ["---", "title: %s" % title, "minutes: %d" % r.choice([15, 20, 30]),
           "---", "", paragraph(r, 3), ""]
    page = 0
    used_form = False
    while sum(len(x) + 1 for x in out) < target:
        page += 1
        out += ["# %s" % r.choice(HEADS) if page > 1 else "# Välkommen",
                "", paragraph(r), ""]
        out += ["## %s" % r.choice(HEADS), "", paragraph(r), ""]
        out += ["- %s" % sentence(r) for _ in range(r.randint(3, 5))] + [""]
        out += [paragraph(r), ""]
        out += ["%d. %s" % (k + 1, sentence(r)) for k in range(3)] + [""]
        out += ["## %s" % r.choice(HEADS), "", paragraph(r), "",
                paragraph(r), ""]
        out += ["- %s" % sentence(r) for _ in range(r.randint(2, 4))] + [""]
        if i > 0 and page == 1:
            out += ["Läs gärna [%s](%s) igen om du vill repetera." %
                    (mods[i - 1][1].lower(), mods[i - 1][0]), ""]
        if page == 2:
            img = (i + page) % N_IMAGES
            out += ["![En person som går en promenad i skogen, bild %d]"
                    "(../media/bild-%02d.png)" % (img + 1, img + 1), ""]
        if page == 2 and i % 5 == 2:
            out += ["```exercise",
                    "id: veckoplan-%d" % (i + 1),
                    "title: Planera din vecka",
                    "instructions: Skriv ner tre saker som du vill göra.",
                    "fields:",
                    "  - id: aktivitet",
                    "    type: text",
                    "    label: Vad vill du göra?",
                    "  - id: dag",
                    "    type: choice",
                    "    label: Vilken dag?",
                    "    options:",
                    "      - { value: 1, label: Måndag }",
                    "      - { value: 2, label: Onsdag }",
                    "      - { value: 3, label: Fredag }",
                    "  - id: energi",
                    "    type: scale",
                    "    label: Hur mycket energi tror du att det ger?",
                    "    min: 0",
                    "    max: 10",
                    "```", ""]
        if page == 3 and i % 4 == 3 and not used_form:
            used_form = True
            out += ["Fyll i formuläret nedan innan du går vidare.", "",
                    "```form", "ref: %s" % ("phq9" if i % 8 == 3 else "gad7"),
                    "```", ""]
    if i + 1 < len(mods):
        out += ["Nästa gång fortsätter vi med [%s](%s)." %
                (mods[i + 1][1].lower(), mods[i + 1][0]), ""]
    return "\n".join(out)


PHQ9 = """id: phq9
title: Hälsoenkät om nedstämdhet
name: PHQ-9
reference: Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med 2001;16:606-613
license: fri att använda (Pfizer)
instructions: Hur ofta har du under de senaste två veckorna besvärats av följande?
options:
  - { value: 0, label: Inte alls }
  - { value: 1, label: Flera dagar }
  - { value: 2, label: Mer än hälften av dagarna }
  - { value: 3, label: Nästan varje dag }
items:
  - { id: q1, text: "Lite intresse eller glädje i att göra saker" }
  - { id: q2, text: "Känt dig nedstämd, deprimerad eller känt att framtiden ser hopplös ut" }
  - { id: q3, text: "Svårt att somna eller sova hela natten eller sovit för mycket" }
  - { id: q4, text: "Känt dig trött eller haft brist på energi" }
  - { id: q5, text: "Dålig aptit eller ätit för mycket" }
  - { id: q6, text: "Dålig självkänsla eller känt att du är ett misslyckande" }
  - { id: q7, text: "Svårt att koncentrera dig" }
  - { id: q8, text: "Rört dig eller talat så långsamt att andra kunnat märka det, eller tvärtom" }
  - { id: q9, text: "Tankar på att det vore bättre om du var död eller att skada dig själv" }
scores:
  - id: total
    title: Summa
    value: sum(q1..q9)
    bands:
      - { from: 0, to: 4, label: Minimal, level: none }
      - { from: 5, to: 9, label: Lindrig, level: mild }
      - { from: 10, to: 14, label: Måttlig, level: moderate }
      - { from: 15, to: 19, label: Medelsvår, level: moderately-severe }
      - { from: 20, to: 27, label: Svår, level: severe }
alerts:
  - id: suicidtankar
    when: q9 > 0
    level: urgent
    message: Patienten har angett tankar på döden eller på att skada sig själv
"""

GAD7 = """id: gad7
title: Hälsoenkät om oro
name: GAD-7
reference: Spitzer RL, Kroenke K, Williams JB, Löwe B. Arch Intern Med 2006;166:1092-1097
license: fri att använda (Pfizer)
instructions: Hur ofta har du under de senaste två veckorna besvärats av följande?
options:
  - { value: 0, label: Inte alls }
  - { value: 1, label: Flera dagar }
  - { value: 2, label: Mer än hälften av dagarna }
  - { value: 3, label: Nästan varje dag }
items:
  - { id: q1, text: "Känt dig nervös, ängslig eller väldigt stressad" }
  - { id: q2, text: "Inte kunnat sluta oroa dig eller kontrollera din oro" }
  - { id: q3, text: "Oroat dig för mycket för olika saker" }
  - { id: q4, text: "Haft svårt att slappna av" }
  - { id: q5, text: "Varit så rastlös att du haft svårt att sitta still" }
  - { id: q6, text: "Blivit lätt irriterad" }
  - { id: q7, text: "Känt dig rädd för att något hemskt skulle hända" }
scores:
  - id: total
    title: Summa
    value: sum(q1..q7)
    bands:
      - { from: 0, to: 4, label: Minimal, level: none }
      - { from: 5, to: 9, label: Lindrig, level: mild }
      - { from: 10, to: 14, label: Måttlig, level: moderate }
      - { from: 15, to: 21, label: Svår, level: severe }
"""


def main():
    args = sys.argv[1:]
    seed = 1
    if "--seed" in args:
        k = args.index("--seed")
        seed = int(args[k + 1])
        del args[k:k + 2]
    if len(args) != 2:
        sys.stderr.write("usage: gen.py OUTDIR MODULES [--seed N]\n")
        return 2
    out, n = args[0], int(args[1])
    r = random.Random(seed * 1000003 + n)
    for sub in ("modules", "forms", "media"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    mods = names(n)
    with open(os.path.join(out, "program.yaml"), "w") as f:
        f.write("steg: 1\n"
                "id: se.bench.program-%d\n"
                "version: 1.0.0\n"
                "title: Testprogram med %d moduler\n"
                "language: sv\n"
                "kind: treatment\n"
                "summary: Ett stort program som bara finns för att mäta hur "
                "snabbt kompilatorn arbetar.\n"
                "producer:\n"
                "  id: SE2321000016-1003\n"
                "  name: Region Exempel\n"
                "start: clinician\n"
                "conditions: [depression]\n"
                "duration-weeks: %d\n"
                "retention-days: 365\n"
                "assessments:\n"
                "  - { form: phq9, at: [start, weekly, end] }\n"
                "  - { form: gad7, at: [start, end] }\n"
                % (n, n, max(1, n // 2)))
    for i in range(n):
        with open(os.path.join(out, "modules", mods[i][0]), "w") as f:
            f.write(module(r, i, mods))
    with open(os.path.join(out, "forms", "phq9.yaml"), "w") as f:
        f.write(PHQ9)
    with open(os.path.join(out, "forms", "gad7.yaml"), "w") as f:
        f.write(GAD7)
    # Only the images that some module refers to, so none is unused.
    used = sorted({(i + 2) % N_IMAGES for i in range(n)})
    for k in used:
        with open(os.path.join(out, "media", "bild-%02d.png" % (k + 1)),
                  "wb") as f:
            f.write(png(48, 32, k))
    return 0


if __name__ == "__main__":
    sys.exit(main())
