import { OffsetIdentityError } from '@metergate/messaging';
import { checkBatchStart } from './batch-start';
import { RawBatch, sliceBatch } from './raw-batch';

const batch = (fetchedOffset: number, first: number, last: number, highWatermark = 1000): RawBatch => ({
  topic: 'usage',
  partition: 2,
  fetchedOffset: String(fetchedOffset),
  highWatermark: String(highWatermark),
  messages: Array.from({ length: last - first + 1 }, (_, i) => ({ offset: String(first + i), value: null })),
});
const offsets = (start: ReturnType<typeof checkBatchStart>) =>
  start.kind === 'apply' ? start.fresh.map((m) => Number(m.offset)) : start;

describe('checking where a batch starts against the stored offset', () => {
  it('applies a batch that starts at the stored offset', () => {
    expect(offsets(checkBatchStart('g', 10n, batch(10, 10, 14)))).toEqual([10, 11, 12, 13, 14]);
  });

  it('skips what lies below the stored offset in a batch that straddles it', () => {
    const start = checkBatchStart('g', 12n, batch(8, 8, 14));
    expect(start).toMatchObject({ kind: 'apply', skipped: 4 });
    expect(offsets(start)).toEqual([12, 13, 14]);
  });

  it('skips all of a batch redelivered below the stored offset', () => {
    expect(checkBatchStart('g', 20n, batch(8, 8, 14))).toMatchObject({
      kind: 'apply',
      fresh: [],
      skipped: 7,
    });
  });

  it('reads again from the stored offset a batch fetched beyond it, applying none of it', () => {
    expect(checkBatchStart('g', 10n, batch(13, 13, 20))).toEqual({ kind: 'read-again', from: '10' });
  });

  it('judges by where the batch was fetched from, not by its first message', () => {
    // Offsets 10 to 12 held no message (a transaction marker, say): nothing was passed over.
    expect(offsets(checkBatchStart('g', 10n, batch(10, 13, 14)))).toEqual([13, 14]);
  });

  it('refuses a partition whose end lies below the stored offset: it is not the one the offset was stored for', () => {
    expect(() => checkBatchStart('g', 500n, batch(0, 0, 9, 10))).toThrow(OffsetIdentityError);
    expect(() => checkBatchStart('g', 500n, batch(0, 0, 9, 10))).toThrow(
      /usage\[2\]: next offset 500 is beyond/,
    );
  });

  it('slices a batch so that each later part starts just after the part before it', () => {
    const whole = batch(8, 8, 14);
    expect(sliceBatch(whole, 0, 3).fetchedOffset).toBe('8');
    expect(sliceBatch(whole, 3, 7)).toMatchObject({
      fetchedOffset: '11',
      messages: [{ offset: '11' }, {}, {}, {}],
    });
  });
});
