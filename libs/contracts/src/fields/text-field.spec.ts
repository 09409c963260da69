import { CallFields } from './call-fields';
import { isTextField, textFault } from './text-field';

describe('textFault', () => {
  describe('an idempotency key (callId)', () => {
    it.each([
      ['ASCII', 'call-1'],
      ['an emoji', '😀'],
      ['a family emoji joined by U+200D', '👩‍👩‍👧'],
      ['Cyrillic with an inner space', 'ключ 1'],
      ['a right-to-left mark', '\u200fabc'],
      ['a space at an end', ' x '],
      ['the text of an escape', '\\u0000'],
      ['128 code units', 'x'.repeat(128)],
      ['64 emoji (128 code units)', '😀'.repeat(64)],
    ])('accepts %s', (_name, value) => {
      expect(textFault(value, CallFields.callId)).toBeUndefined();
    });

    it.each([
      ['empty', '', /1 to 128 characters long \(UTF-16 code units\)/],
      ['129 code units', 'x'.repeat(129), /1 to 128/],
      ['65 emoji (130 code units)', '😀'.repeat(65), /1 to 128/],
      ['U+0000', 'a\u0000b', /control characters/],
      ['a newline', 'a\nb', /control characters/],
      ['DEL', '\u007f', /control characters/],
      ['a C1 control', 'a\u0085', /control characters/],
      ['a line separator', 'a\u2028b', /line separators/],
      ['a lone high surrogate', 'a\ud800', /well-formed UTF-16/],
      ['a lone low surrogate', '\udc00a', /well-formed UTF-16/],
      ['a reversed pair', '\ude00\ud83d', /well-formed UTF-16/],
      ['a space', ' ', /blank/],
      ['whitespace of several kinds', ' \u00a0\u3000\u2003', /blank/],
      ['a number', 7, /must be a string/],
      ['null', null, /must be a string/],
    ])('refuses %s', (_name, value, fault) => {
      expect(textFault(value, CallFields.callId)).toMatch(fault);
    });
  });

  describe('a name (model, endpoint)', () => {
    it.each([
      ['a policy name', 'small'],
      ['dots, slashes, colons and at signs', 'meta/llama-3.1:70b@2024'],
      ['an inner space', 'my model'],
      ['an emoji', '🦙'],
      ['accented letters', 'résumé-writer'],
      ['64 code units', 'm'.repeat(64)],
    ])('accepts %s', (_name, value) => {
      expect(textFault(value, CallFields.model)).toBeUndefined();
    });

    it.each([
      ['empty', '', /1 to 64/],
      ['65 code units', 'm'.repeat(65), /1 to 64/],
      ['33 emoji (66 code units)', '😀'.repeat(33), /1 to 64/],
      ['a space', ' ', /start or end with whitespace/],
      ['a trailing space', 'small ', /start or end with whitespace/],
      ['a leading no-break space', '\u00a0small', /start or end with whitespace/],
      ['a tab', '\t', /control characters/],
      ['U+0000', 'small\u0000', /control characters/],
      ['a right-to-left mark', '\u200fsmall', /invisible formatting/],
      ['a right-to-left override', 'sm\u202eall', /invisible formatting/],
      ['a zero-width space', 'sm\u200ball', /invisible formatting/],
      ['a byte order mark', '\ufeffsmall', /invisible formatting/],
      ['a lone surrogate', '\ud83d', /well-formed UTF-16/],
    ])('refuses %s', (_name, value, fault) => {
      expect(textFault(value, CallFields.model)).toMatch(fault);
    });
  });

  describe('an identifier (orgId, userId, keyId)', () => {
    it('accepts letters, digits, _ and - up to 64', () => {
      expect(textFault('Acme_1-x', CallFields.orgId)).toBeUndefined();
      expect(textFault('a'.repeat(64), CallFields.keyId)).toBeUndefined();
    });

    it.each([
      ['a space', 'a b'],
      ['an accent', 'ü'],
      ['a dot', 'a.b'],
      ['U+0000', 'a\u0000'],
      ['65', 'a'.repeat(65)],
    ])('refuses %s', (_name, value) => {
      expect(isTextField(value, CallFields.userId)).toBe(false);
    });
  });

  describe('free text', () => {
    const text = { kind: 'text', maxLength: 100 } as const;

    it('accepts lines, tabs and any well-formed Unicode', () => {
      expect(textFault('line 1\n\tline 2 😀 \u202e', text)).toBeUndefined();
    });

    it('refuses what PostgreSQL cannot store', () => {
      expect(textFault('a\u0000', text)).toMatch(/U\+0000/);
      expect(textFault('a\udfff', text)).toMatch(/well-formed/);
    });
  });
});
