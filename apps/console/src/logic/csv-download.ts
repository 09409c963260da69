/** "top-calls-2026-03-01T0000Z-2026-03-02T0000Z.csv": what was asked for, in a name every OS accepts. */
export function csvFileName(kind: string, from: string, to: string): string {
  const stamp = (iso: string) => iso.slice(0, 16).replace(/:/g, '') + 'Z';
  return `${kind}-${stamp(from)}-${stamp(to)}.csv`;
}
