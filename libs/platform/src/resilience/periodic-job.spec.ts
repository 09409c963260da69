import { PeriodicJob } from './periodic-job';

describe('PeriodicJob', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs at each tick, skips ticks while a run lasts, and stops after the run in progress', async () => {
    const runs: (() => void)[] = [];
    const job = new PeriodicJob(() => new Promise<void>((resolve) => runs.push(resolve)), 100);
    job.start();
    jest.advanceTimersByTime(350);
    expect(runs).toHaveLength(1);
    runs[0]();
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(100);
    expect(runs).toHaveLength(2);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    runs[1]();
    await stopping;
    jest.advanceTimersByTime(1000);
    expect(runs).toHaveLength(2);
  });
});
