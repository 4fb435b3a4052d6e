/**
 * `SigningKeys`: a JSON `{ "keys": [current, previous?] }` of private ES256 JWKs with `kid`
 * (read by functions/commons/signing-keys.ts through the link). No placeholder, so a deploy
 * fails until it is set. Generate and set it per stage:
 *
 *   npx sst secret set SigningKeys "$(npm run --silent keys)" --stage <stage>
 *
 * Rotate (the new key signs, the old one still verifies until its tokens expire):
 *
 *   npx sst secret list --stage <stage>   # copy the current value into current.json
 *   npx sst secret set SigningKeys "$(npm run --silent keys -- --previous current.json)" --stage <stage>
 */
export const signingKeys = new sst.Secret('SigningKeys');

/**
 * `CursorKey`: the key that seals pagination cursors (functions/commons/cursor-seal.ts), at least
 * 32 characters, linked only to the functions of paginated routes. No placeholder either:
 *
 *   npx sst secret set CursorKey "$(openssl rand -base64 32)" --stage <stage>
 *
 * Setting a new value invalidates the cursors given out so far: a client holding one gets a 400
 * and starts its list again from the first page.
 */
export const cursorKey = new sst.Secret('CursorKey');
