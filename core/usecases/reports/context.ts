import type { Actor } from '../../domain/actor';
import { ValidationError } from '../../domain/errors';
import { rangeProblem } from '../../domain/report';
import type { ReportStore } from '../../ports/reports';

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
