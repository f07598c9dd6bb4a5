// fhir-eval.mjs — the scores of an exported Questionnaire as a FHIR
// reader computes them: each score's SDC calculatedExpression evaluated
// by fhirpath.js (with its R4 model and %questionnaire, so that weight()
// reads the options' weights) on a QuestionnaireResponse made of Steg's
// answers.  tests/t0812-fhirpath-agree.sh compares the values with the
// core's evaluator and with `steg score`.
//
//   node fhir-eval.mjs QUESTIONNAIRE.json ANSWERS.json...
//
// ANSWERS.json is what `steg score --answers` reads (item id -> answer;
// null or absent = unanswered).  Prints one JSON object per answers file
// from score linkId to its value (null when the expression gives the
// empty collection).  An expression that fails, or gives more than one
// value or a value that is not a number, is an error: exit 1.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');

const CALC = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/' +
	'sdc-questionnaire-calculatedExpression';
// Steg's value of an option that carries a terminology code: the current
// canonical URL and the one exports before it used.
const VALUE_URLS = new Set([
	'https://steg-sob.github.io/fhir/StructureDefinition/value',
	'urn:steg:fhir:value',
]);

const q = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function ext(o, urls) {
	return (o.extension || []).find(e => urls.has(e.url));
}

// The answer of item it to Steg's answer v, as a FHIR form filler
// stores it.
function answer(it, v) {
	switch (it.type) {
	case 'choice': {
		const opt = it.answerOption.find(o => {
			const e = ext(o, VALUE_URLS);
			return e ? e.valueDecimal === v : o.valueCoding.code === String(v);
		});
		if (!opt)
			throw new Error(`item ${it.linkId}: no option for ${v}`);
		return { valueCoding: opt.valueCoding };
	}
	case 'boolean': return { valueBoolean: v };
	case 'integer': return { valueInteger: v };
	case 'decimal': return { valueDecimal: v };
	case 'date': return { valueDate: v };
	default: return { valueString: v };
	}
}

const scores = q.item.filter(it => it.readOnly);
const calc = new Map(scores.map(it => {
	const e = (it.extension || []).find(x => x.url === CALC);
	return [it.linkId, e ? fhirpath.compile(e.valueExpression.expression, r4) : null];
}));

let failed = false;
for (const file of process.argv.slice(3)) {
	const ans = JSON.parse(readFileSync(file, 'utf8'));
	const qr = { resourceType: 'QuestionnaireResponse', status: 'completed',
		questionnaire: q.url, item: [] };
	for (const it of q.item) {
		if (it.readOnly || it.type === 'display')
			continue;
		const v = ans[it.linkId];
		if (v !== null && v !== undefined)
			qr.item.push({ linkId: it.linkId, answer: [answer(it, v)] });
	}
	// A score may use another: the filler recomputes until a pass
	// changes nothing, which takes at most one pass per score (and a
	// last one that finds nothing changed).
	const out = {};
	let changed = true;
	for (let pass = 0; changed && pass <= scores.length; pass++) {
		changed = false;
		for (const s of scores) {
			const f = calc.get(s.linkId);
			let v = null;
			if (f) {
				try {
					const r = f(qr, { resource: qr, questionnaire: q });
					if (r.length > 1 || (r.length === 1 && typeof r[0] !== 'number'))
						throw new Error(`gives ${JSON.stringify(r)}`);
					v = r.length ? r[0] : null;
				} catch (e) {
					console.error(`${file}: ${s.linkId}: ${e.message}`);
					failed = true;
				}
			}
			if (pass === 0 || out[s.linkId] !== v)
				changed = true;
			out[s.linkId] = v;
			qr.item = qr.item.filter(i => i.linkId !== s.linkId);
			if (v !== null)
				qr.item.push({ linkId: s.linkId, answer: [{ valueDecimal: v }] });
		}
	}
	console.log(JSON.stringify(out));
}
process.exit(failed ? 1 : 0);
