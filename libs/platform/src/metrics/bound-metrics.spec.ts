import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { boundCounter, boundHistogram } from './bound-metrics';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const LABEL_NAMES = ['method', 'route', 'status'] as const;
const SERIES = [
  { method: 'POST', route: '/v1/decisions', status: '200' },
  { method: 'POST', route: '/v1/decisions', status: '400' },
  { method: 'GET', route: '/v1/orgs/:orgId/usage', status: '200' },
];

describe('bound metrics', () => {
  it("expose exactly what prom-client's Counter and Histogram expose for the same observations", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: SERIES.length - 1 }),
            fc.oneof(fc.constantFrom(...BUCKETS, 0, 3), fc.double({ min: 0, max: 5, noNaN: true })),
          ),
          { maxLength: 200 },
        ),
        async (observations) => {
          const theirs = new Registry();
          const ours = new Registry();
          const config = { name: 'http_requests_total', help: 'Requests.', labelNames: LABEL_NAMES };
          const timing = { name: 'http_request_duration_seconds', help: 'Latency.', labelNames: LABEL_NAMES };
          const counter = new Counter({ ...config, registers: [theirs] });
          const histogram = new Histogram({ ...timing, buckets: BUCKETS, registers: [theirs] });
          const boundCount = boundCounter(config, ours);
          const boundTime = boundHistogram({ ...timing, buckets: BUCKETS }, ours);
          for (const [series, seconds] of observations) {
            counter.inc(SERIES[series]);
            histogram.observe(SERIES[series], seconds);
            boundCount.labels(SERIES[series]).inc();
            boundTime.labels(SERIES[series]).observe(seconds);
          }
          expect(await ours.metrics()).toBe(await theirs.metrics());
          // A scrape hands the counts over once: the next one shows the same totals.
          expect(await ours.metrics()).toBe(await theirs.metrics());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('binds one series per label set, however often and by whoever it is bound', async () => {
    const registry = new Registry();
    const config = { name: 'decisions_total', help: 'Checks.', labelNames: ['outcome'] as const };
    const first = boundCounter(config, registry).labels({ outcome: 'allowed' });
    const second = boundCounter(config, registry).labels({ outcome: 'allowed' });
    first.inc();
    second.inc(2);
    expect(await registry.metrics()).toContain('decisions_total{outcome="allowed"} 3\n');
    second.inc();
    expect(await registry.metrics()).toContain('decisions_total{outcome="allowed"} 4\n');
  });
});
