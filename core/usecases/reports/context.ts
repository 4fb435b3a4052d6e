import { ValidationError } from '#core/domain/errors';
import { rangeProblem } from '#core/domain/report';
import type { ReportStore } from '#core/ports/reports';
import type { Caller } from '#core/usecases/scope';

/** What report use cases run on: the caller, the clock, and the report store. */
export interface ReportContext extends Caller {
  reports: ReportStore;
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
