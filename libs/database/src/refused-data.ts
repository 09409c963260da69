/**
 * Whether PostgreSQL refused the data it was given, as opposed to being unable to take anything right
 * now. Data exceptions (SQLSTATE class 22: a NUL byte in text, a number or a date out of range) and
 * integrity violations (class 23) come back for the same input however often it is sent: a writer
 * must set that input aside, or it stops forever. Everything else (connection refused or lost, a
 * server shutting down, serialization failures and deadlocks, timeouts) passes and is worth waiting
 * for. Class 42 is left out on purpose: a missing table or privilege fails every record alike, and
 * setting records aside for it would empty the stream into the dead letters instead of waiting for
 * an operator.
 */
export function isRefusedData(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && (code.startsWith('22') || code.startsWith('23'));
}

/** The SQLSTATE of a PostgreSQL error (pg's `code`, kept by TypeORM's QueryFailedError), if it has one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
