import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEPLOY_DOC, iamTable, withTable } from '#scripts/iam-table';

describe('docs/deploy.md', () => {
  it("lists each function's access as the contract gives it (npm run iam-table -- --write)", () => {
    const doc = readFileSync(DEPLOY_DOC, 'utf8');
    expect(doc).toBe(withTable(doc));
    expect(iamTable()).toContain('| `login` | POST /v1/auth/login | GetItem, BatchGetItem, Query, PutItem');
  });
});
