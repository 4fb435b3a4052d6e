import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import { dynamoRevocationStore } from '#core/adapters/dynamo/revocation-store';
import type { RouteDef } from '#core/contract/define';
import type { Actor } from '#core/domain/actor';
import { UnauthorizedError } from '#core/domain/errors';
import { isRevoked } from '#core/domain/revocation';
import { revocationCache } from '#core/usecases/identity/revocation-cache';
import { createEndpoint, type Handler, type HttpRequest, type HttpResult, type ServicesArg } from './http';
import { JWT_AUDIENCE, JWT_ISSUER, publicJwks } from './signing-keys';

type Verifier = { verifySync(token: string): Record<string, unknown> };
let verifier: Verifier | undefined;

/**
 * aws-jwt-verify against a JWKS held in memory: `verifySync` never fetches, so an unknown
 * `kid` fails instead of reaching the network. It checks signature, alg (EC keys only, so
 * `none` and HS256 fail), iss, aud, exp and nbf; `exp` presence and our own claims are
 * checked here because the library accepts tokens without them.
 */
async function getVerifier(): Promise<Verifier> {
  if (!verifier) {
    const v = JwtVerifier.create({
      issuer: JWT_ISSUER(),
      audience: JWT_AUDIENCE(),
      jwksUri: 'https://jwks.invalid/.well-known/jwks.json',
    });
    v.cacheJwks(publicJwks() as unknown as Parameters<typeof v.cacheJwks>[0]);
    verifier = v as unknown as Verifier;
  }
  return verifier;
}

export function resetVerifier(): void {
  verifier = undefined;
}

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Token versions (`uv`, `rv`); absent in tokens issued before they existed: the oldest, 0. */
const isVersion = (v: unknown): v is number | undefined =>
  v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0);

const revocations = revocationCache(dynamoRevocationStore);

/** Tests and benchmarks: the next request of every tenant reads its revocations again. */
export const expireRevocations = () => revocations.expire();

export async function authenticate(authorization: string | undefined): Promise<Actor> {
  // The scheme is case-insensitive (RFC 9110 §11.1): `bearer x` and `BEARER x` are `Bearer x`.
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i.exec(authorization ?? '');
  if (!match) throw new UnauthorizedError('A Bearer access token is required');
  let claims: Record<string, unknown>;
  try {
    claims = (await getVerifier()).verifySync(match[1]!);
  } catch {
    throw new UnauthorizedError('The access token is invalid or expired');
  }
  const { sub, tid, role, perms, branches, exp, uv, rv } = claims;
  if (
    typeof exp !== 'number' ||
    typeof sub !== 'string' ||
    typeof tid !== 'string' ||
    typeof role !== 'string' ||
    !isStringArray(perms) ||
    !isStringArray(branches) ||
    !isVersion(uv) ||
    !isVersion(rv)
  ) {
    throw new UnauthorizedError('The access token is invalid or expired');
  }
  const token = { userId: sub, userVersion: uv ?? 0, roleId: role, roleVersion: rv ?? 0 };
  if (isRevoked(await revocations.get(tid, new Date()), token)) {
    throw new UnauthorizedError('The access token was revoked');
  }
  return { tenantId: tid, userId: sub, roleId: role, permissions: perms, branches };
}

/**
 * One Lambda handler for one bearer route (the chain of ./http.ts with `authenticate` first):
 * a valid access token and the route's permission, then the route's own work. An idempotent
 * route takes its store in `services`. Here, next to the verifier, so that only bearer bundles
 * carry aws-jwt-verify.
 */
export function endpoint<const R extends RouteDef & { auth: 'bearer' }>(
  route: R,
  impl: (request: HttpRequest<R>) => Promise<HttpResult>,
  ...[services]: ServicesArg<R>
): Handler {
  return createEndpoint(route, impl, services, authenticate);
}
