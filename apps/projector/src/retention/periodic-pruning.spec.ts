import { Logger } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { PeriodicPruning } from './periodic-pruning';

class CountingPruning extends PeriodicPruning {
  runs = 0;
  failNext = false;
  release?: () => void;

  constructor(initialized: boolean) {
    super({ dataSource: { isInitialized: initialized } } as unknown as DatabaseConnection, 1000, 'test rows');
  }

  protected pruneWith(): Promise<void> {
    this.runs += 1;
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('connection lost'));
    }
    return new Promise((resolve) => (this.release = resolve));
  }
}

describe('PeriodicPruning', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs on its interval, one run at a time, and waits for the run in progress at shutdown', async () => {
    const job = new CountingPruning(true);
    job.onApplicationBootstrap();
    jest.advanceTimersByTime(3000);
    expect(job.runs).toBe(1);
    let stopped = false;
    const stopping = job.onModuleDestroy().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    job.release!();
    await stopping;
    jest.advanceTimersByTime(3000);
    expect(job.runs).toBe(1);
  });

  it('logs a failed run and does not throw; nothing runs before the database is up', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const job = new CountingPruning(true);
    job.failNext = true;
    await expect(job.prune()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith('pruning test rows failed, next try in 1 s: connection lost');
    const early = new CountingPruning(false);
    await early.prune();
    expect(early.runs).toBe(0);
    warn.mockRestore();
  });
});
