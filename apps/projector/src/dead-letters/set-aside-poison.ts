import { isRefusedData } from '@metergate/database';
import { ReadAgain } from '@metergate/messaging';
import { RawBatch, RawMessage, sliceBatch } from '../offsets/raw-batch';

export interface PoisonHandling {
  /** Applies the batches in one transaction; the partitions to read again (see checkBatchStart). */
  apply(batches: RawBatch[]): Promise<ReadAgain>;
  /** Sets one record aside and moves its partition's offset past it, in one transaction. */
  setAside(batch: RawBatch, message: RawMessage, error: unknown, firstFailedAt: Date): Promise<ReadAgain>;
  /** Whether the failure lies in the records (the same input fails again), not in the database's availability. */
  isRecordFault(error: unknown): boolean;
  /** Attempts of the whole transaction before the faulty record is looked for. */
  attempts: number;
  pause(ms: number): Promise<unknown>;
  now(): Date;
}

/**
 * Applies batches (one or several partitions) in one transaction, and sees to it that a record that
 * cannot be applied never blocks anything. A failure of the database's availability propagates: the
 * caller pauses and retries, nothing is set aside. A failure that lies in the records is retried a few
 * times; if it persists, the partitions are applied one by one and a failing partition's records in
 * halves, in offset order, until the records at fault are each alone: those are set aside, everything
 * else is applied, and each step stores its offsets, so nothing is applied twice. k bad records among
 * n cost about 2·k·log2(n) transactions, once.
 */
export async function applySettingPoisonAside(batches: RawBatch[], h: PoisonHandling): Promise<ReadAgain> {
  let firstFailedAt: Date | undefined;
  let lastError: unknown;
  for (let attempt = 1; attempt <= h.attempts; attempt++) {
    try {
      return await h.apply(batches);
    } catch (error) {
      if (!h.isRecordFault(error)) throw error;
      firstFailedAt ??= h.now();
      lastError = error;
      if (attempt < h.attempts) await h.pause(100 * 2 ** attempt);
    }
  }
  const failedAt = firstFailedAt!;
  const readAgain: ReadAgain = [];
  for (const batch of batches) {
    // A batch of one partition alone was just tried as a whole.
    readAgain.push(...(await isolate(batch, h, failedAt, batches.length === 1 ? lastError : undefined)));
  }
  return readAgain;
}

/** Applies one partition's batch in order, halving around failures down to single records. */
async function isolate(
  batch: RawBatch,
  h: PoisonHandling,
  failedAt: Date,
  knownFailure?: unknown,
): Promise<ReadAgain> {
  let failure = knownFailure;
  if (failure === undefined) {
    try {
      return await h.apply([batch]);
    } catch (error) {
      if (!h.isRecordFault(error)) throw error;
      failure = error;
    }
  }
  if (batch.messages.length === 1) return h.setAside(batch, batch.messages[0], failure, failedAt);
  const half = Math.ceil(batch.messages.length / 2);
  const first = await isolate(sliceBatch(batch, 0, half), h, failedAt);
  if (first.length > 0) return first;
  return isolate(sliceBatch(batch, half, batch.messages.length), h, failedAt);
}

/** Whole-transaction attempts before the faulty record is looked for. */
const RECORD_FAULT_ATTEMPTS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The live projector's handling: PostgreSQL's refusals are the records' fault, the clock is the real one. */
export function liveHandling(
  apply: PoisonHandling['apply'],
  setAside: PoisonHandling['setAside'],
): PoisonHandling {
  return {
    apply,
    setAside,
    isRecordFault: isRefusedData,
    attempts: RECORD_FAULT_ATTEMPTS,
    pause: sleep,
    now: () => new Date(),
  };
}
