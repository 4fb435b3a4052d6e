import { BadRequestError } from '#core/domain/errors';
import { hashOpaqueToken } from '#core/domain/opaque-token';
import type { TenantStore } from '#core/ports/tenants';

export async function verifyEmail(
  deps: { tenants: TenantStore },
  input: { token: string },
  now: Date,
): Promise<{ verified: true }> {
  if (!(await deps.tenants.verify(hashOpaqueToken(input.token), now))) {
    throw new BadRequestError('invalid-token', 'The verification token is invalid, expired or already used');
  }
  return { verified: true };
}
