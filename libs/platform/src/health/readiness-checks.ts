import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<Record<string, unknown> | void>;

/**
 * Dependencies register here what "ready" means for them (Kafka reachable, PostgreSQL reachable, read
 * model fresh); /health/ready runs them all. Keeps each adapter's knowledge inside its own lib.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks.entries()];
  }
}

/** Rejects when `promise` takes longer than `ms`, so a hung dependency reads as not ready. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
