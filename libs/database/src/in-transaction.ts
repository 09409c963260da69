import type { PoolClient } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** pg's error when a query got no answer within query_timeout (see dataSourceOptions). */
const isStalled = (error: unknown) => error instanceof Error && error.message === 'Query read timeout';

/**
 * Runs `work` in one transaction, like DataSource.transaction, with one difference that matters after a
 * network cut: a connection whose query stopped getting answers is destroyed, not returned to the pool,
 * where it would hang the next transaction that drew it.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  try {
    await runner.startTransaction();
    const result = await work(runner.manager);
    await runner.commitTransaction();
    await runner.release();
    return result;
  } catch (error) {
    if (isStalled(error)) {
      client.connection.stream.destroy();
      // TypeORM's own way to hand a broken connection back so that the pool discards it.
      await (
        runner as QueryRunner & { releasePostgresConnection(err: Error): Promise<void> }
      ).releasePostgresConnection(error as Error);
    } else {
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
    throw error;
  }
}
