import { ICustomPartitioner, Partitioners } from 'kafkajs';
import { murmur2 } from './murmur2';

/** Where a string key's UTF-8 bytes are written to be hashed: no Buffer per message. */
const scratch = Buffer.alloc(1024);

/** The partition the Java client gives a key in a topic of `partitionCount` partitions. */
export function partitionOfKey(key: string | Buffer, partitionCount: number): number {
  let hash: number;
  if (typeof key !== 'string') hash = murmur2(key);
  // A UTF-16 unit takes at most 3 UTF-8 bytes: a key that surely fits is written in place.
  else if (key.length * 3 <= scratch.length) hash = murmur2(scratch, scratch.write(key, 0, 'utf8'));
  else hash = murmur2(Buffer.from(key));
  return (hash & 0x7fffffff) % partitionCount;
}

/**
 * The partition EventPublisher's producer gives a message by its key in a topic of `partitionCount`
 * partitions, for a producer that must choose the partition itself.
 */
export function keyPartitioner(partitionCount: number): (key: string) => number {
  return (key) => partitionOfKey(key, partitionCount);
}

/**
 * kafkajs's DefaultPartitioner (the Java client's: a message's own partition, else its key's murmur2,
 * else round robin), with the key hashed by `murmur2` rather than kafkajs's Long-based one.
 */
export const JavaCompatiblePartitioner: ICustomPartitioner = () => {
  const unkeyed = Partitioners.DefaultPartitioner();
  return (args) => {
    const { message, partitionMetadata } = args;
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    if (message.key === undefined || message.key === null) return unkeyed(args);
    return partitionOfKey(message.key, partitionMetadata.length);
  };
};
