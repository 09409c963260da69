import { isRefusedData, sqlState } from './refused-data';

const pgError = (code: string) => Object.assign(new Error('refused'), { code });

describe('telling refused data from an unavailable database', () => {
  it.each([
    ['22021', 'a NUL byte in text'],
    ['22003', 'a number out of range'],
    ['22008', 'a date out of range'],
    ['22P02', 'invalid text for a type'],
    ['23505', 'a unique violation'],
    ['23502', 'a null in a NOT NULL column'],
  ])('takes %s (%s) as refused data', (code) => {
    expect(isRefusedData(pgError(code))).toBe(true);
  });

  it.each([
    ['08006', 'connection failure'],
    ['57P01', 'admin shutdown'],
    ['57014', 'statement timeout'],
    ['40001', 'serialization failure'],
    ['40P01', 'deadlock'],
    ['53300', 'too many connections'],
    ['42P01', 'an undefined table'],
    ['42501', 'a missing privilege'],
  ])('takes %s (%s) as worth waiting for', (code) => {
    expect(isRefusedData(pgError(code))).toBe(false);
  });

  it('takes errors without a SQLSTATE (a lost connection, a query timeout) as worth waiting for', () => {
    expect(isRefusedData(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isRefusedData(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      false,
    );
    expect(isRefusedData(new Error('Query read timeout'))).toBe(false);
    expect(isRefusedData(undefined)).toBe(false);
  });

  it('reads the SQLSTATE only from a five-character code', () => {
    expect(sqlState(pgError('22021'))).toBe('22021');
    expect(sqlState({ code: 'ECONNRESET' })).toBeUndefined();
    expect(sqlState(null)).toBeUndefined();
  });
});
