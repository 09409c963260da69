/**
 * CSV (RFC 4180) with a header row. A cell that a spreadsheet would run as a formula (=, +, -, @ first)
 * is prefixed with a quote: user ids and model names come from clients, and analysts open these files.
 */
export function toCsv<T extends { [K in keyof T]: string | number | null | undefined }>(
  columns: (keyof T & string)[],
  rows: T[],
): string {
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Whether the client asked for CSV rather than JSON. */
export function wantsCsv(accept: string | undefined): boolean {
  return /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept ?? '');
}
