import { keyPartitioner } from './key-partitioner';

describe('keyPartitioner', () => {
  it.each([
    // Hashes from Kafka's own UtilsTest.testMurmur2; the Java client takes (hash & 0x7fffffff) % count.
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['abc', 479470107],
  ])("gives %s the Java client's partition", (key, javaHash) => {
    for (const count of [1, 12, 36]) expect(keyPartitioner(count)(key)).toBe((javaHash & 0x7fffffff) % count);
  });
});
