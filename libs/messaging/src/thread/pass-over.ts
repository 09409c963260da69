/** Whether a record's headers, as kafkajs hands them over, give `header` exactly the value `value`. */
export function headerIs(
  headers: Record<string, unknown> | undefined,
  header: string,
  value: Buffer,
): boolean {
  const named = headers?.[header];
  return Buffer.isBuffer(named) && named.equals(value);
}
