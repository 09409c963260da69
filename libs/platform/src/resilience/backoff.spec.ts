import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles each delay up to the maximum', () => {
    const backoff = new Backoff(100, 500);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([100, 200, 400, 500]);
  });

  it('starts over after a reset', () => {
    const backoff = new Backoff(100, 500);
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});
