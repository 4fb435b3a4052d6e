import type { Actor } from '#core/domain/actor';
import { ValidationError } from '#core/domain/errors';
import { rangeProblem } from '#core/domain/report';
import type { ReportStore } from '#core/ports/reports';

/** What report use cases run on: the caller and the report store. */
export interface ReportContext {
  actor: Actor;
  store: ReportStore;
}

export interface ReportRange {
  from: string;
  to: string;
}

/** The route schemas check this already (400 before any read); use cases never trust callers. */
export function assertRange({ from, to }: ReportRange): void {
  const problem = rangeProblem(from, to);
  if (problem) throw new ValidationError(problem, [{ path: 'query.to', message: problem }]);
}
