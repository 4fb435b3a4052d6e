import { ulid } from 'ulid';
import { grantsOf, refuseEscalation, userChangeRefusal } from '#core/domain/access';
import { ConflictError } from '#core/domain/errors';
import { hashPassword } from '#core/domain/password';
import { dedupe, publicUser, type User, type UserRecord } from '#core/domain/user';
import type { IdentityContext } from './context';
import { assertBranchesExist, customRoleId, roleToAssign, unknownRole } from './user-rules';

export interface NewUser {
  username: string;
  password: string;
  fullName: string;
  email?: string;
  roleId: string;
  branchIds?: string[] | null;
}

export async function createUser(ctx: IdentityContext, input: NewUser): Promise<User> {
  const { actor, now } = ctx;
  const branchIds = dedupe(input.branchIds ?? null);
  await assertBranchesExist(ctx.users, actor.tenantId, branchIds);
  const role = await roleToAssign(ctx.roles, actor.tenantId, input.roleId);
  refuseEscalation(userChangeRefusal(grantsOf(actor), { permissions: role.permissions, scope: branchIds }));
  const at = now.toISOString();
  const user: UserRecord = {
    id: ulid(),
    tenantId: actor.tenantId,
    username: input.username,
    fullName: input.fullName,
    email: input.email ?? null,
    roleId: input.roleId,
    branchIds,
    active: true,
    passwordHash: await hashPassword(input.password),
    sessionEpoch: 0,
    version: 0,
    deletedAt: null,
    createdAt: at,
    updatedAt: at,
  };
  const outcome = await ctx.users.create(user, customRoleId(input.roleId));
  if (outcome === 'role-missing') throw unknownRole();
  if (outcome === 'username-taken')
    throw new ConflictError('username-taken', 'This username is already taken');
  return publicUser(user);
}
