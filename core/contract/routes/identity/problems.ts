import type { ResponseDef } from '#core/contract/define';

/** The problem answers the identity routes document. */

export const problem = (description: string, headers?: Record<string, string>): ResponseDef => ({
  description,
  schema: 'Problem',
  contentType: 'application/problem+json',
  headers,
});
export const invalid = () => problem('Invalid request');
export const unauthenticated = () => problem('Missing, invalid or expired access token');
const forbidden = () => problem('The access token lacks the permission');
export const notFound = (what: string) => problem(`${what} not found (or of another tenant)`);

export const authenticatedReads = () => ({ 400: invalid(), 401: unauthenticated(), 403: forbidden() });
export const tooMany = (description: string) =>
  problem(description, { 'Retry-After': 'Seconds until requests are allowed again' });

const escalation = () =>
  problem(
    'The access token lacks the permission, or the change would grant or touch more than the caller ' +
      'holds (type …/problems/escalation)',
  );
/** User and role writes: 403 also when the change would hand out more than the caller holds. */
export const authenticatedWrites = () => ({ ...authenticatedReads(), 403: escalation() });
