/**
 * The kinds of text that usage events, admissions and decision checks carry. Every kind is storable by
 * PostgreSQL (no U+0000; well-formed UTF-16, so valid UTF-8) and crosses JSON and Kafka unchanged: what
 * an edge accepts under a kind, every consumer decodes under the same kind.
 *
 * - `identifier`: organization, user and key ids: ASCII letters, digits, `_` and `-`.
 * - `key`: an idempotency key (a usage event's `id`, a check's `requestId`): any printable Unicode
 *   (emoji, right-to-left text, inner spaces), but no control character, line separator or lone
 *   surrogate, and not blank.
 * - `name`: a model or an endpoint: printable Unicode as a key, and besides no invisible formatting
 *   character (bidirectional marks and overrides, zero-width characters) and no whitespace at either end,
 *   so that two names that look alike are alike.
 * - `text`: free text (reasons and notes of access events): anything storable.
 *
 * Lengths are UTF-16 code units, JavaScript's `length`, everywhere: a character outside the Basic
 * Multilingual Plane (most emoji) counts 2. That keeps the check a comparison and bounds a field's
 * UTF-8 size at 3 bytes per unit, which the record sizes on Kafka rely on.
 */
export type TextKind = 'identifier' | 'key' | 'name' | 'text';

export interface TextField {
  readonly kind: TextKind;
  readonly maxLength: number;
}

const IDENTIFIER = /^[A-Za-z0-9_-]+$/;
const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;
const FORMAT = /\p{Cf}/u;
/** What neither a key nor a name may hold, in one scan for the common valid case. */
const NOT_IN_KEY = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/u;
const NOT_IN_NAME = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const NOT_BLANK = /\S/u;
const SPACE_AT_AN_END = /^\s|\s$/u;

/** The phrase that follows a field's name in a problem: "events[3].model must not be blank". */
export function textFault(value: unknown, field: TextField): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0 || value.length > field.maxLength) {
    return `must be 1 to ${field.maxLength} characters long (UTF-16 code units)`;
  }
  switch (field.kind) {
    case 'identifier':
      return IDENTIFIER.test(value) ? undefined : 'may hold only letters, digits, _ and -';
    case 'key':
      if (!NOT_IN_KEY.test(value) && NOT_BLANK.test(value)) return undefined;
      return unprintable(value) ?? 'must not be blank';
    case 'name':
      if (!NOT_IN_NAME.test(value) && !SPACE_AT_AN_END.test(value)) return undefined;
      return (
        unprintable(value) ??
        (FORMAT.test(value)
          ? 'must not hold invisible formatting characters (bidirectional marks, zero-width characters)'
          : 'must not start or end with whitespace')
      );
    case 'text':
      if (LONE_SURROGATE.test(value)) return LONE_SURROGATE_FAULT;
      return value.includes('\u0000') ? 'must not hold U+0000' : undefined;
  }
}

/** Whether `value` is a valid `field`: the same rule as textFault, for code that needs no message. */
export function isTextField(value: unknown, field: TextField): value is string {
  return textFault(value, field) === undefined;
}

const LONE_SURROGATE_FAULT = 'must be well-formed UTF-16 (a lone surrogate is not a character)';

function unprintable(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return LONE_SURROGATE_FAULT;
  if (CONTROL.test(value)) {
    return 'must not hold control characters (U+0000 to U+001F, U+007F to U+009F) or line separators';
  }
  return undefined;
}
