import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateSigningKey } from '#local/keys';

/**
 * `npm run --silent keys [-- --previous <file|->]`: prints a fresh value for the `SigningKeys`
 * secret, `{ "keys": [new private ES256 JWK] }`. With `--previous`, the first key of that
 * current value (a file, or `-` for stdin) stays as the second key, so tokens it signed keep
 * verifying until they expire (15 min) — rotation without logging anyone out.
 *
 *   npx sst secret set SigningKeys "$(npm run --silent keys)" --stage <stage>
 */
const { values } = parseArgs({ options: { previous: { type: 'string' } } });
const keys = [await generateSigningKey()];
if (values.previous) {
  const current = JSON.parse(readFileSync(values.previous === '-' ? 0 : values.previous, 'utf8')) as {
    keys?: unknown[];
  };
  if (!Array.isArray(current.keys) || current.keys.length === 0) {
    console.error('--previous: expected a JSON { "keys": [ ... ] }');
    process.exit(2);
  }
  keys.push(current.keys[0] as (typeof keys)[number]);
}
console.log(JSON.stringify({ keys }));
