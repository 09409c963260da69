import { OffsetIdentityError, StoredOffset, TopicsSeen, findOffsetMismatches } from './offset-mismatch';

const seen: TopicsSeen = {
  clusterId: 'cluster-b',
  partitions: [
    { topic: 'usage', partition: 0, low: '0', high: '100' },
    { topic: 'usage', partition: 1, low: '40', high: '90' },
  ],
};
const stored = (
  partition: number,
  nextOffset: string,
  clusterId: string | null = 'cluster-b',
): StoredOffset => ({
  topic: 'usage',
  partition,
  nextOffset,
  clusterId,
});

describe('finding stored offsets that belong to other topics', () => {
  it('accepts offsets within each partition, its start and its end included', () => {
    expect(findOffsetMismatches([stored(0, '0'), stored(1, '40')], seen)).toEqual([]);
    expect(findOffsetMismatches([stored(0, '100'), stored(1, '90')], seen)).toEqual([]);
  });

  it('accepts rows stored before cluster ids were kept when the watermarks agree', () => {
    expect(findOffsetMismatches([stored(0, '57', null)], seen)).toEqual([]);
  });

  it('refuses offsets stored for another cluster, even where the numbers would fit', () => {
    expect(findOffsetMismatches([stored(0, '10', 'cluster-a')], seen)).toMatchObject([
      { kind: 'other-cluster', topic: 'usage', partition: 0, nextOffset: '10' },
    ]);
  });

  it('refuses an offset beyond the end: the topic holds fewer records than were applied', () => {
    expect(findOffsetMismatches([stored(0, '101', null)], seen)).toMatchObject([
      { kind: 'beyond-end', detail: "usage[0]: next offset 101 is beyond the partition's end 100" },
    ]);
  });

  it('refuses an offset below the start: records were deleted before they were applied', () => {
    expect(findOffsetMismatches([stored(1, '39')], seen)).toMatchObject([{ kind: 'deleted-before-applied' }]);
  });

  it('refuses a position in a partition that is gone, but not an empty one', () => {
    expect(findOffsetMismatches([stored(5, '3')], seen)).toMatchObject([
      { kind: 'partition-gone', partition: 5 },
    ]);
    expect(findOffsetMismatches([stored(5, '0')], seen)).toEqual([]);
  });

  it('says in its error what does not match and how to proceed, naming each topic once', () => {
    const mismatches = findOffsetMismatches(
      [
        stored(0, '500'),
        stored(1, '5'),
        { ...stored(0, '1'), topic: 'access' },
        stored(7, '1'),
        stored(8, '1'),
      ],
      seen,
    );
    const error = new OffsetIdentityError('metergate-projector', mismatches);
    expect(error.topics).toEqual(['access', 'usage']);
    expect(error.message).toContain('consumer group metergate-projector');
    expect(error.message).toContain("usage[0]: next offset 500 is beyond the partition's end 100");
    expect(error.message).toContain('and 2 more');
    expect(error.message).toContain('npm run realign-offsets');
    expect(error.message).toContain('npm run rebuild-projections');
  });
});
