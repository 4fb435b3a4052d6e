import { vi } from 'vitest';
import { logger } from '#functions/commons/logger';

/**
 * Runs `work` with the logger at its most verbose (and metrics on) and returns what it printed
 * (stdout and stderr), instead of printing it.
 */
export async function logsOf<T>(work: () => Promise<T>): Promise<{ result: T; text: string }> {
  const chunks: string[] = [];
  const level = logger.getLevelName();
  const envLevel = process.env.LOG_LEVEL;
  logger.setLogLevel('DEBUG');
  process.env.LOG_LEVEL = 'debug';
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    return { result: await work(), text: chunks.join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
    logger.setLogLevel(level);
    if (envLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = envLevel;
  }
}
