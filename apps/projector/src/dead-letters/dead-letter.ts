import { counter } from '@metergate/platform';
import { sqlState } from '@metergate/database';
import { EntityManager } from 'typeorm';
import { RawMessage } from '../offsets/raw-batch';
import { DeadLettersSql } from './dead-letters.sql';

/** Why a record was set aside: no projection could read it, or PostgreSQL refused what it holds. */
export type DeadLetterReason = 'undecodable' | 'refused';

export interface DeadLetter {
  topic: string;
  partition: number;
  message: RawMessage;
  reason: DeadLetterReason;
  error: unknown;
  /** When applying it first failed; null when it failed in the transaction that sets it aside (undecodable). */
  firstFailedAt: Date | null;
}

const deadLetters = counter({
  name: 'projector_dead_letters_total',
  help: 'Records set aside in dead_letters instead of applied: undecodable, or refused by PostgreSQL after their retries.',
  labelNames: ['topic', 'reason'] as const,
});

/** Writes records set aside, in the transaction that also moves their partitions' offsets past them. */
export async function writeDeadLetters(
  tx: EntityManager,
  group: string,
  letters: DeadLetter[],
): Promise<void> {
  if (letters.length === 0) return;
  await tx.query(DeadLettersSql.insert, [
    group,
    letters.map((l) => l.topic),
    letters.map((l) => l.partition),
    letters.map((l) => l.message.offset),
    letters.map((l) => l.message.key ?? null),
    letters.map((l) => l.message.value),
    letters.map((l) => (l.message.timestamp ? new Date(Number(l.message.timestamp)).toISOString() : null)),
    letters.map((l) => describe(l.error)),
    letters.map((l) => sqlState(l.error) ?? null),
    letters.map((l) => l.firstFailedAt?.toISOString() ?? null),
  ]);
}

/** Counts records set aside; called once their transaction committed. */
export function countDeadLetters(letters: readonly DeadLetter[]): void {
  for (const l of letters) deadLetters.inc({ topic: l.topic, reason: l.reason });
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // The message may quote the record; PostgreSQL would refuse to store a NUL in the error column too.
  return text.replaceAll('\u0000', '\\u0000');
}
