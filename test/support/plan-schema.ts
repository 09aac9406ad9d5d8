/** The checked-in JSON schema of `drover plan --json`, as a validator: the errors of a document, none when valid. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../schema/plan.schema.json'), 'utf8'),
) as object;
const validate = new Ajv2020({ allErrors: true, validateFormats: false }).compile(schema);

export function validatePlanDocument(document: unknown): string[] {
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
