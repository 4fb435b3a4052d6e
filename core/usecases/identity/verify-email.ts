import { BadRequestError } from '../../domain/errors';
import { hashOpaqueToken } from '../../domain/opaque-token';
import type { TenantStore } from '../../ports/tenants';

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
