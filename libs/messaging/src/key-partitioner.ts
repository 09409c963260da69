import { Partitioners } from 'kafkajs';

/**
 * The partition EventPublisher's producer gives a message by its key in a topic of `partitionCount`
 * partitions (kafkajs's Java-compatible murmur2), for a producer that must choose the partition itself.
 */
export function keyPartitioner(partitionCount: number): (key: string) => number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [],
    isr: [],
  }));
  return (key) => partitioner({ topic: '', partitionMetadata, message: { key, value: null } });
}
