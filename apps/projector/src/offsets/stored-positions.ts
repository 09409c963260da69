import { TopicPartitionOffset } from '@metergate/messaging';
import { DataSource } from 'typeorm';
import { PartitionOffsetsSql } from './partition-offsets.sql';

/** Where a group's newly assigned partitions resume: the next offsets PostgreSQL holds for them. */
export async function storedPositions(
  dataSource: DataSource,
  group: string,
  assigned: { topic: string; partition: number }[],
): Promise<TopicPartitionOffset[]> {
  const rows = await dataSource.query<{ topic: string; partition: number; next_offset: string }[]>(
    PartitionOffsetsSql.readGroup,
    [group, [...new Set(assigned.map((a) => a.topic))]],
  );
  const wanted = new Set(assigned.map((a) => `${a.topic}/${a.partition}`));
  return rows
    .filter((r) => wanted.has(`${r.topic}/${r.partition}`))
    .map((r) => ({ topic: r.topic, partition: r.partition, offset: r.next_offset }));
}
