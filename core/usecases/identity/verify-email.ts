import { BadRequestError } from '#core/domain/errors';
import { hashOpaqueToken } from '#core/domain/opaque-token';
import type { SignupContext } from './context';

export async function verifyEmail(
  ctx: Pick<SignupContext, 'now' | 'tenants'>,
  input: { token: string },
): Promise<{ verified: true }> {
  if (!(await ctx.tenants.verify(hashOpaqueToken(input.token), ctx.now))) {
    throw new BadRequestError('invalid-token', 'The verification token is invalid, expired or already used');
  }
  return { verified: true };
}
