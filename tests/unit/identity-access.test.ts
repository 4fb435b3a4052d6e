import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Grants,
  grantsOf,
  permissionsWithin,
  refuseEscalation,
  roleChangeRefusal,
  type Scope,
  scopeWithin,
  userChangeRefusal,
  withinReach,
} from '#core/domain/access';
import { ForbiddenError } from '#core/domain/errors';
import { builtInRole, PERMISSION_IDS } from '#core/domain/permissions';

const perms = (role: string) => builtInRole(role)!.permissions;
const ALL: Grants = { permissions: PERMISSION_IDS, scope: null };
const actor = (branches: string[]) => ({
  tenantId: 't',
  userId: 'u',
  roleId: 'admin',
  permissions: PERMISSION_IDS,
  branches,
});

describe('the no-escalation rule, by example', () => {
  it('reads the caller from its token: ["*"] is every branch', () => {
    expect(grantsOf(actor(['*']))).toEqual(ALL);
    expect(grantsOf(actor(['a', 'b'])).scope).toEqual(['a', 'b']);
    expect(grantsOf(actor([])).scope).toEqual([]);
  });

  it('compares scopes: every branch only within every branch; [] within anything', () => {
    expect(scopeWithin(null, null)).toBe(true);
    expect(scopeWithin(['a'], null)).toBe(true);
    expect(scopeWithin(null, ['a', 'b'])).toBe(false);
    expect(scopeWithin(['a'], ['a', 'b'])).toBe(true);
    expect(scopeWithin(['a', 'c'], ['a', 'b'])).toBe(false);
    expect(scopeWithin([], [])).toBe(true);
  });

  it('refuses a user editor the admin role and every branch', () => {
    const editor: Grants = { permissions: ['users:read', 'users:update'], scope: ['a'] };
    const self: Grants = editor;
    expect(userChangeRefusal(editor, { target: self, permissions: perms('admin') })).toMatch(/role/);
    expect(userChangeRefusal(editor, { target: self, scope: null })).toMatch(/every branch/);
    expect(userChangeRefusal(editor, { target: self, scope: ['b'] })).toMatch(/branch scope/);
    // Lowering its own grants is fine.
    expect(
      userChangeRefusal(editor, { target: self, permissions: ['users:read'], scope: [] }),
    ).toBeUndefined();
  });

  it('keeps a branch-limited admin away from all-branch users and all-branch grants', () => {
    const local: Grants = { permissions: PERMISSION_IDS, scope: ['a'] };
    const owner: Grants = ALL;
    expect(userChangeRefusal(local, { target: owner })).toMatch(/user holds/);
    expect(userChangeRefusal(local, { permissions: perms('admin'), scope: null })).toMatch(/every branch/);
    expect(userChangeRefusal(local, { permissions: perms('admin'), scope: ['a'] })).toBeUndefined();
    expect(
      userChangeRefusal(local, { target: { permissions: perms('agent'), scope: ['a'] } }),
    ).toBeUndefined();
  });

  it('lets a role editor grant and touch only what it holds', () => {
    const editor = ['roles:update', 'tickets:read'];
    expect(roleChangeRefusal(editor, { current: editor, permissions: [...editor, 'users:update'] })).toMatch(
      /grant permissions/,
    );
    expect(roleChangeRefusal(editor, { current: ['reports:read'] })).toMatch(/role grants/);
    expect(roleChangeRefusal(editor, { current: ['tickets:read'], permissions: [] })).toBeUndefined();
    expect(roleChangeRefusal(editor, { permissions: ['tickets:read'] })).toBeUndefined();
  });

  it('turns a refusal into 403 …/escalation, and nothing into nothing', () => {
    expect(() => refuseEscalation(undefined)).not.toThrow();
    const error = (() => {
      try {
        refuseEscalation('no');
      } catch (e) {
        return e as ForbiddenError;
      }
    })();
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ status: 403, code: 'escalation', message: 'no' });
  });
});

/** Permissions and scopes as bit masks: a second, independent reading of "subset". */
const BRANCHES = ['b0', 'b1', 'b2', 'b3'];
const permissionSet = fc.subarray([...PERMISSION_IDS]);
const scope: fc.Arbitrary<Scope> = fc.option(fc.subarray(BRANCHES), { nil: null, freq: 3 });
const grants: fc.Arbitrary<Grants> = fc.record({ permissions: permissionSet, scope });

const mask = (items: readonly string[], universe: readonly string[]) =>
  items.reduce((m, item) => m | (1n << BigInt(universe.indexOf(item))), 0n);
const subsetMask = (a: bigint, b: bigint) => (a & ~b) === 0n;
const scopeMask = (s: Scope) => (s === null ? -1n : mask(s, BRANCHES));
const modelReach = (t: Grants, c: Grants) =>
  subsetMask(mask(t.permissions, PERMISSION_IDS), mask(c.permissions, PERMISSION_IDS)) &&
  (c.scope === null || (t.scope !== null && subsetMask(scopeMask(t.scope), scopeMask(c.scope))));

describe('the no-escalation rule, as properties', () => {
  const RUNS = { numRuns: 2000 };

  it('agrees with a bit-mask model of "holds everything the other holds"', () => {
    fc.assert(
      fc.property(grants, grants, (target, caller) => {
        expect(withinReach(target, caller)).toBe(modelReach(target, caller));
      }),
      RUNS,
    );
  });

  it('allows a user change exactly when target, role and scope are each within the caller', () => {
    fc.assert(
      fc.property(
        grants,
        fc.option(grants, { nil: undefined }),
        fc.option(permissionSet, { nil: undefined }),
        fc.option(scope, { nil: undefined }),
        (caller, target, permissions, wanted) => {
          const allowed =
            (!target || modelReach(target, caller)) &&
            (!permissions || permissionsWithin(permissions, caller.permissions)) &&
            (wanted === undefined || scopeWithin(wanted, caller.scope));
          const refusal = userChangeRefusal(caller, { target, permissions, scope: wanted });
          expect(refusal === undefined).toBe(allowed);
        },
      ),
      RUNS,
    );
  });

  it('allows a role change exactly when the role as it is and as it is to be are held', () => {
    fc.assert(
      fc.property(
        permissionSet,
        fc.option(permissionSet, { nil: undefined }),
        fc.option(permissionSet, { nil: undefined }),
        (caller, current, permissions) => {
          const held = (p?: readonly string[]) =>
            !p || subsetMask(mask(p, PERMISSION_IDS), mask(caller, PERMISSION_IDS));
          expect(roleChangeRefusal(caller, { current, permissions }) === undefined).toBe(
            held(current) && held(permissions),
          );
        },
      ),
      RUNS,
    );
  });

  it('is reflexive: anyone reaches itself and may hand out exactly its own grants', () => {
    fc.assert(
      fc.property(grants, (g) => {
        expect(withinReach(g, g)).toBe(true);
        expect(
          userChangeRefusal(g, { target: g, permissions: g.permissions, scope: g.scope }),
        ).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('admits no escalation chain: whatever a created user may hand out, its creator could too', () => {
    /** A creator and a user it may create (a random part of its own grants). */
    const creation = grants.chain((creator) =>
      fc.record({
        creator: fc.constant(creator),
        created: fc.record({
          permissions: fc.subarray([...creator.permissions]),
          scope: creator.scope === null ? scope : fc.subarray([...creator.scope]),
        }),
      }),
    );
    fc.assert(
      fc.property(creation, grants, ({ creator, created }, next) => {
        const change = { permissions: created.permissions, scope: created.scope };
        expect(userChangeRefusal(creator, change)).toBeUndefined();
        expect(withinReach(created, creator)).toBe(true);
        if (userChangeRefusal(created, next) === undefined) {
          expect(userChangeRefusal(creator, next)).toBeUndefined();
        }
      }),
      RUNS,
    );
  });

  it('never shrinks with more grants: a caller holding more reaches at least as much', () => {
    fc.assert(
      fc.property(grants, grants, grants, (target, caller, extra) => {
        const more: Grants = {
          permissions: [...caller.permissions, ...extra.permissions],
          scope: caller.scope === null || extra.scope === null ? null : [...caller.scope, ...extra.scope],
        };
        if (withinReach(target, caller)) expect(withinReach(target, more)).toBe(true);
      }),
      RUNS,
    );
  });

  it('hands out every branch only from every branch', () => {
    fc.assert(
      fc.property(grants, (caller) => {
        const refusal = userChangeRefusal(caller, { scope: null });
        expect(refusal === undefined).toBe(caller.scope === null);
      }),
      RUNS,
    );
  });
});
