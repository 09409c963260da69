import type { DataSourceOptions } from 'typeorm';
import { migrations } from './migrations';

export interface ConnectionTuning {
  /**
   * False: a commit returns before its WAL reaches the disk. Safe only for writers whose source of
   * truth is elsewhere and whose transactions carry their own resume point (the projector: a crash of
   * PostgreSQL loses the last commits whole, offsets included, and they are read again from Kafka).
   */
  synchronousCommit?: boolean;
}

/**
 * The schema comes from migrations only (never `synchronize`), and every app shares one migration
 * history, so the projector, decision and tier apps always agree on the tables.
 */
export function dataSourceOptions(databaseUrl: string, tuning: ConnectionTuning = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Errors reach their callers, which decide what deserves a log line: a unique-key conflict in the
    // event store is an expected outcome (409), not an incident.
    logging: false,
    // statement_timeout bounds work the server does; query_timeout bounds a connection that stopped
    // answering at all (host gone, network cut), which would otherwise hang a transaction, and with it
    // a consumer's heartbeats, until TCP gives up minutes later.
    extra: {
      max: 10,
      connectionTimeoutMillis: 3000,
      statement_timeout: 10_000,
      query_timeout: 12_000,
      keepAlive: true,
      application_name: 'metergate',
      ...(tuning.synchronousCommit === false && { options: '-c synchronous_commit=off' }),
    },
  };
}
