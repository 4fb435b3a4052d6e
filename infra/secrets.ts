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
