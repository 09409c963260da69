import { Backoff } from './backoff';

export interface RetryOptions {
  /** What is attempted, for the log line: "cannot <what> (reason); retrying in N ms". */
  what: string;
  logger: { warn(message: string): void };
  /** Checked before each attempt and after each wait: true ends the loop without a result. */
  stopped: () => boolean;
  initialMs?: number;
  maxMs?: number;
  /** Resolves after `ms`, or earlier when the caller stops (defaults to a plain timer). */
  sleep?: (ms: number) => Promise<unknown>;
}

const timer = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, waiting with exponential backoff between failures and logging each:
 * how every app waits for a dependency (Kafka, PostgreSQL) that is down at start or goes away. Resolves
 * to the attempt's result, or to undefined once `stopped()` says the app is shutting down.
 */
export async function retryWithBackoff<T>(
  attempt: () => Promise<T>,
  options: RetryOptions,
): Promise<T | undefined> {
  const backoff = new Backoff(options.initialMs, options.maxMs);
  const sleep = options.sleep ?? timer;
  while (!options.stopped()) {
    try {
      return await attempt();
    } catch (error) {
      const delay = backoff.next();
      options.logger.warn(`cannot ${options.what} (${(error as Error).message}); retrying in ${delay} ms`);
      await sleep(delay);
    }
  }
  return undefined;
}
