import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateSigningKey } from '#local/keys';

/**
 * `npm run --silent keys [-- --publish|--promote|--previous <file|->]`: prints a value for the
 * `SigningKeys` secret, `{ "keys": [signing key, other?] }` (private ES256 JWKs): the first key
 * signs, every key verifies. Without an option, a fresh key alone (a new stage). From the
 * current value (a file, or `-` for stdin):
 *
 * - `--publish`: the current signing key, then a fresh one — deploying this publishes the new
 *   public key to every verifier while nothing signs with it yet;
 * - `--promote` (after that deploy): the two keys swapped — the new one signs, the old one still
 *   verifies the tokens it signed until they expire (15 min); the next `--publish` drops it;
 * - `--previous`: both steps at once (a fresh key signing, the current one second). Quicker, but
 *   during the deploy a verifier not yet updated may refuse tokens of the new key for a moment.
 *
 *   npx sst secret set SigningKeys "$(npm run --silent keys)" --stage <stage>
 */
const { values } = parseArgs({
  options: { publish: { type: 'string' }, promote: { type: 'string' }, previous: { type: 'string' } },
});

function current(file: string): unknown[] {
  const value = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8')) as { keys?: unknown[] };
  if (!Array.isArray(value.keys) || value.keys.length === 0) {
    console.error('expected the current value, a JSON { "keys": [ ... ] }');
    process.exit(2);
  }
  return value.keys;
}

type Key = Awaited<ReturnType<typeof generateSigningKey>>;
let keys: Key[];
if (values.publish) keys = [current(values.publish)[0] as Key, await generateSigningKey()];
else if (values.promote) {
  const [signing, next] = current(values.promote) as Key[];
  if (!next) {
    console.error('--promote: the current value lists one key; run --publish (and deploy) first');
    process.exit(2);
  }
  keys = [next, signing!];
} else if (values.previous) keys = [await generateSigningKey(), current(values.previous)[0] as Key];
else keys = [await generateSigningKey()];
console.log(JSON.stringify({ keys }));
