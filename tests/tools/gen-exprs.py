#!/usr/bin/env python3
"""gen-exprs.py — a generated set of rating forms whose scores cover every
expression shape a form may hold, and answer sets for them, for
tests/t0812-fhirpath-agree.sh (the exported FHIRPath against Steg's
evaluator and `steg score`).

    gen-exprs.py PROGRAM_DIR ANSWERS_DIR [SEED]

Adds forms/gNN.yaml to the program made by `stegc new` in PROGRAM_DIR (and
each form to its assessments), and writes ANSWERS_DIR/gNN-MM.json.

Every form has the same items: choice items (one reversed, one with its
own options where two share a weight, one coded), a number, a scale, two
yes/no items, a text and two dates.  Its scores are, first, one per
built-in of core/expr_builtin.c's table that a form may use (sum, mean,
min, max, count, answered, if, round, abs), every operator and the
missing-answer cases the FHIRPath must spell out, written by hand; then
random typed expressions, depth-bounded, from a fixed seed.  Answer sets:
all answered, none answered, and random ones where each item is missing
with probability 1/3 (false yes/no answers and 0 weights included).
"""
import json
import os
import random
import sys

CHOICES = ["q1", "q2", "q3", "q4"]
HAND = [
    # the two cases
    "count(b1, b2)",
    "if(not (b1 == true), 1, 0)",
    # every built-in a form may use
    "sum(q1..q4)", "sum(q1, q3, n1)", "mean(q1..q4)", "mean(q2, s1, n1)",
    "min(q1..q4)", "max(q1, q2, s1)", "count(q1..q4)",
    "count(q1, b1, t1, d1)", "count(q1 > 1, b2, not b1)",
    "if(answered(q1..q4), 1, 0)", "if(answered(b1, t1, d2), 1, 0)",
    "if(answered(q1 > 2, n1 + 1), 1, 0)",
    "if(q1 >= 2, q2, q3)", "round(n1)", "round(n1 / 3, 2)",
    "round(0 - n1)", "round(q1 - 2.5)", "round(n1 * 0.5, 1)",
    "abs(n1 - 10)", "abs(q2 - q1)",
    # operators, missing answers, conditions two-valued
    "q1 + q2 * 2 - q3 / 2", "-q1", "-(q1 - q4)", "n1 / q1",
    "if(q1 == 1 or q2 != 0, 1, 0)", "if(q1 <> 1 and not (q2 < 2), 1, 0)",
    "if(q1 = 3, 1, 0)", "if(not b1, 1, 0)", "if(not (not b2), 1, 0)",
    "if(b1 and b2, 1, 0)", "if(b1 or b2, 1, 0)", "if(b1 == b2, 1, 0)",
    "if((q1 > 1) == (q2 > 1), 1, 0)", "if(not (q1 > 1) or b2, 1, 0)",
    "if(t1 == \"ja\", 1, 0)", "if(t1 != 'it\\'s', 1, 0)",
    "if(d1 < d2, 1, 0)", "if(d1 == d2, 1, 0)", "if(d1 >= d2, 1, 0)",
    "if(if(b1, b2, true), 1, 0)", "if(if(b1, q1 > 1, false) == false, 1, 0)",
    "if(true, 1, 0)", "if(false or b1, 1, 0)", "1.5 + 0.25",
    "sum(q1, 2 * q2, if(b1, 3, 0))", "mean(q1, q2 - 1, n1 * 2)",
    "count(q1 + n1, if(b1, 1, n1))", "max(q1, if(b2, q2, 0))",
    "sum(q1..q1)", "count(q4..s1)", "mean(q4, q4, q1)",
    "if(count(q1..q4) >= 3, sum(q1..q4), 0)", "s1 - 5", "n1 * n1",
]


def option_weights(item):
    if item == "q3":
        return [0, 1, 1, 2]        # equal weights: values 0..3, scores 0 1 1 2
    return [0, 1, 2, 3]


class Gen:
    def __init__(self, rnd, scores):
        self.r = rnd
        self.scores = scores       # earlier scores a new one may use

    def num(self, d):
        r = self.r
        if d <= 0 or r.random() < 0.25:
            pick = r.choice(["item", "item", "lit", "score", "n1", "s1"])
            if pick == "item":
                return r.choice(CHOICES)
            if pick == "lit":
                return r.choice(["0", "1", "2", "3", "0.5", "2.5", "10"])
            if pick == "score" and self.scores:
                return r.choice(self.scores)
            return r.choice(["n1", "s1", "q1"])
        k = r.randrange(12)
        if k < 3:
            return "(%s %s %s)" % (self.num(d - 1), r.choice("+-*/"),
                                   self.num(d - 1))
        if k == 3:
            return "-%s" % self.num(d - 1)
        if k < 7:
            fn = r.choice(["sum", "mean", "min", "max"])
            return "%s(%s)" % (fn, self.args(d, numbers=True))
        if k == 7:
            return "count(%s)" % self.args(d, numbers=False)
        if k == 8:
            return "if(%s, %s, %s)" % (self.cond(d - 1), self.num(d - 1),
                                       self.num(d - 1))
        if k == 9:
            if r.random() < 0.5:
                return "round(%s)" % self.num(d - 1)
            return "round(%s, %d)" % (self.num(d - 1), r.randrange(3))
        if k == 10:
            return "abs(%s)" % self.num(d - 1)
        return "if(%s, 1, 0)" % self.cond(d - 1)

    def args(self, d, numbers):
        r = self.r
        out = []
        for _ in range(r.randrange(1, 4)):
            k = r.randrange(4)
            if k == 0:
                a, b = sorted(r.sample(range(4), 2))
                out.append("%s..%s" % (CHOICES[a], CHOICES[b]))
            elif k == 1 or not numbers and k == 2:
                out.append(r.choice(CHOICES + ["n1", "s1"] + ([] if numbers
                           else ["b1", "b2", "t1", "d1"])))
            elif not numbers and k == 3:
                out.append(self.cond(d - 1))
            else:
                out.append(self.num(d - 1))
        return ", ".join(out)

    def cond(self, d):
        r = self.r
        if d <= 0 or r.random() < 0.2:
            return r.choice(["b1", "b2", "true", "false", "q1 > 1",
                             "t1 == 'ja'", "d1 < d2"])
        k = r.randrange(9)
        if k < 3:
            return "%s %s %s" % (self.num(d - 1),
                                 r.choice(["==", "!=", "<", "<=", ">", ">="]),
                                 self.num(d - 1))
        if k == 3:
            return "not (%s)" % self.cond(d - 1)
        if k in (4, 5):
            return "(%s %s %s)" % (self.cond(d - 1), r.choice(["and", "or"]),
                                   self.cond(d - 1))
        if k == 6:
            return "answered(%s)" % self.args(d, numbers=False)
        if k == 7:
            return "(%s) %s %s" % (self.cond(d - 1), r.choice(["==", "!="]),
                                   r.choice(["b2", "true", "false"]))
        return "if(%s, %s, %s)" % (self.cond(d - 1), self.cond(d - 1),
                                   self.cond(d - 1))


def form_yaml(fid, exprs):
    q = lambda s: json.dumps(s, ensure_ascii=False)
    lines = [
        "id: %s" % fid, "title: Genererat %s" % fid, "name: %s" % fid,
        "reference: tests/tools/gen-exprs.py", "license: CC0-1.0",
        "options:",
        "  - { value: 0, label: Aldrig }", "  - { value: 1, label: Ibland }",
        "  - { value: 2, label: Ofta }", "  - { value: 3, label: Alltid }",
        "items:",
        "  - { id: q1, text: Fråga 1 }",
        "  - { id: q2, text: Fråga 2, reverse: true }",
        "  - id: q3", "    text: Fråga 3", "    options:",
        "      - { value: 0, label: Nej }",
        "      - { value: 1, score: 1, label: Lite }",
        "      - { value: 2, score: 1, label: Något }",
        "      - { value: 3, score: 2, label: Mycket }",
        "  - id: q4", "    text: Fråga 4", "    options:",
        "      - { value: 0, label: Inte alls, code: { system: 'http://loinc.org', code: LA6568-5 } }",
        "      - { value: 1, label: Flera dagar, code: { system: 'http://loinc.org', code: LA6569-3 } }",
        "      - { value: 2, label: Mer än hälften, code: { system: 'http://loinc.org', code: LA6570-1 } }",
        "      - { value: 3, label: Nästan varje dag, code: { system: 'http://loinc.org', code: LA6571-9 } }",
        "  - { id: n1, text: Antal, type: number, min: 0, max: 100 }",
        "  - { id: s1, text: Skala, type: scale, min: 0, max: 10 }",
        "  - { id: b1, text: Ja eller nej 1, type: boolean }",
        "  - { id: b2, text: Ja eller nej 2, type: boolean }",
        "  - { id: t1, text: Text, type: text }",
        "  - { id: d1, text: Datum 1, type: date }",
        "  - { id: d2, text: Datum 2, type: date }",
        "scores:",
    ]
    for i, e in enumerate(exprs):
        lines += ["  - id: x%d" % (i + 1), "    value: %s" % q(e)]
    return "\n".join(lines) + "\n"


def answers(r, mode):
    out = {}
    for it in CHOICES:
        out[it] = r.randrange(4)
    out["n1"] = r.choice([0, 1, 2.5, 7, 10, 33, 100])
    out["s1"] = r.randrange(11)
    out["b1"] = r.random() < 0.5
    out["b2"] = r.random() < 0.5
    out["t1"] = r.choice(["ja", "nej", "it's"])
    out["d1"] = r.choice(["2024-01-01", "2024-02-29", "2025-12-31"])
    out["d2"] = r.choice(["2024-01-01", "2024-03-01"])
    if mode == "none":
        return {}
    if mode == "some":
        out = {k: v for k, v in out.items() if r.random() >= 1 / 3}
    return out


def main():
    prog, adir = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 13
    r = random.Random(seed)
    os.makedirs(adir, exist_ok=True)
    forms = [("g01", HAND)]
    for k in range(2, 6):
        g = Gen(r, [])
        exprs = []
        for i in range(40):
            exprs.append(g.num(r.randrange(1, 5)))
            g.scores.append("x%d" % (i + 1))
        forms.append(("g%02d" % k, exprs))
    for fid, exprs in forms:
        with open(os.path.join(prog, "forms", fid + ".yaml"), "w") as f:
            f.write(form_yaml(fid, exprs))
        modes = ["all", "none"] + ["all"] * 4 + ["some"] * 14
        for m, mode in enumerate(modes):
            with open(os.path.join(adir, "%s-%02d.json" % (fid, m)), "w") as f:
                json.dump(answers(r, mode), f)
    path = os.path.join(prog, "program.yaml")
    text = open(path, encoding="utf-8").read()
    at = "assessments:\n"
    if at not in text:
        sys.exit("gen-exprs.py: %s has no assessments:" % path)
    text = text.replace(at, at + "".join("  - { form: %s, at: [start] }\n"
                                         % fid for fid, _ in forms), 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
