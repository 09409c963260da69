import fc from 'fast-check';
import { Partitioners, PartitionerArgs } from 'kafkajs';
import { JavaCompatiblePartitioner, keyPartitioner } from './key-partitioner';
import { murmur2 } from './murmur2';

const metadata = (count: number): PartitionerArgs['partitionMetadata'] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [],
    isr: [],
  }));

describe('murmur2', () => {
  it.each([
    // Hashes from Kafka's own UtilsTest.testMurmur2.
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])("hashes %s as Kafka's Java client does", (key, javaHash) => {
    expect(murmur2(Buffer.from(key))).toBe(javaHash);
  });

  it("agrees with kafkajs's Long-based murmur2 on any key and partition count", () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    const ours = JavaCompatiblePartitioner();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 64 }),
          // Longer than the scratch space, hashed from a Buffer of its own.
          fc.string({ unit: 'binary', minLength: 300, maxLength: 600 }),
          fc.uint8Array({ maxLength: 64 }),
        ),
        fc.integer({ min: 1, max: 100 }),
        (raw, count) => {
          const key = typeof raw === 'string' ? raw : Buffer.from(raw);
          const args = { topic: 't', partitionMetadata: metadata(count), message: { key, value: null } };
          expect(ours(args)).toBe(kafkajs(args));
          if (typeof key === 'string') expect(keyPartitioner(count)(key)).toBe(kafkajs(args));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('JavaCompatiblePartitioner', () => {
  it("keeps a message's own partition", () => {
    const partition = JavaCompatiblePartitioner()({
      topic: 't',
      partitionMetadata: metadata(12),
      message: { key: 'org-1', value: null, partition: 7 },
    });
    expect(partition).toBe(7);
  });

  it('spreads messages without a key over the partitions', () => {
    const partitioner = JavaCompatiblePartitioner();
    const seen = new Set(
      Array.from({ length: 24 }, () =>
        partitioner({ topic: 't', partitionMetadata: metadata(12), message: { value: null } }),
      ),
    );
    expect(seen.size).toBe(12);
  });
});
