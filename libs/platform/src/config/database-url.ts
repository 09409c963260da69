/**
 * A database URL as configured (DATABASE_URL, the rebuild's target): checked the way the code that uses
 * it reads it, and shown only without its password, even when it is malformed.
 */

/** A postgres:// (or postgresql://) URL that the WHATWG parser reads, as ensureDatabase and pg do. */
export function isPostgresUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
}

/**
 * `value` with every password in it replaced by `***`: the one of the user info (up to the last `@`, as a
 * password may hold an unescaped `@` or `/`) and any `password` parameter. It does not parse the URL, so
 * that a malformed one is hidden too; where it cannot tell, it hides more rather than less.
 */
export function hidePassword(value: string): string {
  const scheme = value.indexOf('://');
  const start = scheme < 0 ? 0 : scheme + 3;
  const at = value.lastIndexOf('@');
  let shown = value;
  if (at > start) {
    const colon = value.indexOf(':', start);
    if (colon >= 0 && colon < at) shown = `${value.slice(0, colon)}:***${value.slice(at)}`;
  }
  return shown.replace(/([?&][^=&]*password[^=&]*=)[^&]*/gi, '$1***');
}
