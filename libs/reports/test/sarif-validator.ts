/**
 * SARIF 2.1.0 validation for the tests.
 *
 * The schema is libs/reports/test/sarif-2.1.0.subset.schema.json: a hand-written subset of
 * the official OASIS SARIF 2.1.0 JSON schema (draft-07), NOT the official file, because no
 * npm package ships the final 2.1.0 schema. See the "$comment" in that file for what the
 * subset keeps (all official constraints of the objects XORB writes) and what it leaves out.
 *
 * Ajv is the one the workspace already has at node_modules/ajv (6.x, which validates
 * draft-07 by default and checks the uri, uri-reference and date-time formats itself).
 */
import Ajv from 'ajv';
import schema from './sarif-2.1.0.subset.schema.json';

const ajv = new Ajv({ allErrors: true, format: 'full' });
const validate = ajv.compile(schema);

/** Every schema violation as "path: message"; empty when the log is valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((error) => `${error.dataPath || '/'}: ${error.message ?? 'invalid'}`);
}
