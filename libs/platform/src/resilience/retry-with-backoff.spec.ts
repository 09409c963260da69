import { retryWithBackoff } from './retry-with-backoff';

const noSleep = () => Promise.resolve();

describe('retryWithBackoff', () => {
  it('retries failures with growing delays until an attempt succeeds', async () => {
    const warnings: string[] = [];
    let calls = 0;
    const result = await retryWithBackoff(
      () => (++calls < 3 ? Promise.reject(new Error(`down ${calls}`)) : Promise.resolve('up')),
      { what: 'reach it', logger: { warn: (m) => warnings.push(m) }, stopped: () => false, sleep: noSleep },
    );
    expect(result).toBe('up');
    expect(warnings).toEqual([
      'cannot reach it (down 1); retrying in 250 ms',
      'cannot reach it (down 2); retrying in 500 ms',
    ]);
  });

  it('gives up without a result once stopped', async () => {
    let stopped = false;
    const result = await retryWithBackoff(
      () => {
        stopped = true;
        return Promise.reject(new Error('down'));
      },
      { what: 'reach it', logger: { warn: () => undefined }, stopped: () => stopped, sleep: noSleep },
    );
    expect(result).toBeUndefined();
  });
});
