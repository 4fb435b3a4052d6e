import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';

/** Cold-start component: aws-jwt-verify's verifier module, as functions/commons/auth.ts imports it. */
export const handler = async () => ({ statusCode: 200, body: typeof JwtVerifier.create });
