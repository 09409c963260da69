import { Injectable } from '@nestjs/common';
import { DatabaseConnection } from '@metergate/database';
import { DeadLettersSql } from './dead-letters.sql';

/** A record set aside, as admins read it. */
export interface DeadLetterView {
  id: string;
  consumerGroup: string;
  topic: string;
  partition: number;
  offset: string;
  /** The record's key and value as sent, base64; null when the record had none. */
  key: string | null;
  value: string | null;
  /** The value as text, when it is UTF-8 (events are JSON): what an admin reads first. */
  valueText: string | null;
  /** Kafka's timestamp of the record. */
  recordTimestamp: string | null;
  error: string;
  /** PostgreSQL's SQLSTATE when it refused the record; null for a record no projection could decode. */
  errorCode: string | null;
  firstFailedAt: string;
  setAsideAt: string;
}

interface Row {
  id: string;
  consumer_group: string;
  topic: string;
  partition: number;
  offset: string;
  record_key: Buffer | null;
  record_value: Buffer | null;
  record_timestamp: Date | null;
  error: string;
  error_code: string | null;
  first_failed_at: Date;
  set_aside_at: Date;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

@Injectable()
export class DeadLetterReader {
  constructor(private readonly database: DatabaseConnection) {}

  /** Up to `limit` dead letters after `after`, oldest first, and the cursor of the next page (null at the end). */
  async page(after: string, limit: number): Promise<{ deadLetters: DeadLetterView[]; next: string | null }> {
    const rows = await this.database.dataSource.query<Row[]>(DeadLettersSql.page, [after, limit + 1]);
    const page = rows.slice(0, limit);
    return {
      deadLetters: page.map(view),
      next: rows.length > limit ? page[page.length - 1].id : null,
    };
  }
}

function view(row: Row): DeadLetterView {
  return {
    id: row.id,
    consumerGroup: row.consumer_group,
    topic: row.topic,
    partition: row.partition,
    offset: row.offset,
    key: row.record_key?.toString('base64') ?? null,
    value: row.record_value?.toString('base64') ?? null,
    valueText: row.record_value ? asText(row.record_value) : null,
    recordTimestamp: row.record_timestamp?.toISOString() ?? null,
    error: row.error,
    errorCode: row.error_code,
    firstFailedAt: row.first_failed_at.toISOString(),
    setAsideAt: row.set_aside_at.toISOString(),
  };
}

function asText(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}
