import { headerIs } from './pass-over';

describe('headerIs', () => {
  const value = Buffer.from('3f9a0c');

  it('recognizes a header with the value, as kafkajs hands headers over (Buffers)', () => {
    expect(headerIs({ replica: Buffer.from('3f9a0c') }, 'replica', value)).toBe(true);
  });

  it('does not take another value, another header, no headers or a string for a match', () => {
    expect(headerIs({ replica: Buffer.from('3f9a0d') }, 'replica', value)).toBe(false);
    expect(headerIs({ other: Buffer.from('3f9a0c') }, 'replica', value)).toBe(false);
    expect(headerIs({}, 'replica', value)).toBe(false);
    expect(headerIs(undefined, 'replica', value)).toBe(false);
    expect(headerIs({ replica: '3f9a0c' }, 'replica', value)).toBe(false);
  });
});
