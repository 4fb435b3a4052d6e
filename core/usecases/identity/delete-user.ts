import { ConflictError } from '#core/domain/errors';
import type { IdentityContext } from './context';
import { changeUserInReach } from './user-rules';

/**
 * Soft delete: the user stops being listed, loses its sessions and frees its username. Only
 * the version that was checked is deleted.
 */
export async function deleteUser(ctx: IdentityContext, { userId }: { userId: string }): Promise<void> {
  await changeUserInReach(ctx, userId, {}, async (user) => {
    if (user.id === ctx.actor.userId)
      throw new ConflictError('cannot-delete-self', 'You cannot delete yourself');
    // 'gone': deleted meanwhile (the next read answers 404) or changed since (checked again).
    return (await ctx.users.softDelete(user, ctx.now)) === 'deleted' ? true : undefined;
  });
}
