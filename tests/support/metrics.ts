import { vi } from 'vitest';

/** A CloudWatch Embedded Metric Format line as Powertools Metrics prints it. */
export interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  service: string;
  [metric: string]: unknown;
}

/**
 * Runs `work` and returns the EMF lines it printed to stdout. Metrics are quiet under
 * LOG_LEVEL=silent (the suite's level); for the duration they are not (the logger, whose level is
 * set at load, stays silent), and stdout is captured instead of printed.
 */
export async function emfLinesOf<T>(work: () => Promise<T>): Promise<{ result: T; lines: EmfLine[] }> {
  const chunks: string[] = [];
  const level = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'info';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const result = await work();
    const lines = chunks
      .join('')
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as EmfLine);
    return { result, lines };
  } finally {
    stdout.mockRestore();
    if (level === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = level;
  }
}

/** The metrics of one EMF line: name → { unit, value }. */
export function metricsOf(line: EmfLine): Record<string, { unit: string; value: unknown }> {
  return Object.fromEntries(
    line._aws.CloudWatchMetrics.flatMap((d) => d.Metrics).map(({ Name, Unit }) => [
      Name,
      { unit: Unit, value: line[Name] },
    ]),
  );
}
