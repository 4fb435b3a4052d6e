/** Demo seed (SPEC §2): written by the identity work; see docs. */
export async function seedDemo(_: { dataDir: string; password?: string }) {
  return { tenant: 'demo', username: 'admin', password: '(not seeded yet)' };
}
