import { CallRecord } from '@metergate/policy';
import { OffsetEvent, foldCall } from './call-fold';
import { CallPlace } from './usage-event.decoder';

const place = (at: number, endpoint = 'generate'): CallPlace => ({
  orgId: 'org-1',
  endpoint,
  userId: 'u',
  model: '',
  keyId: '',
  at,
});
const usage = (offset: number, at: number, inputChars = 70, outputChars = 30): OffsetEvent => ({
  orgId: 'org-1',
  id: 'call-1',
  fact: { kind: 'usage', at: place(at), chars: inputChars + outputChars },
  inputChars,
  outputChars,
  offset,
});
const admission = (offset: number, at: number, reserve?: number): OffsetEvent => ({
  orgId: 'org-1',
  id: 'call-1',
  fact: {
    kind: 'admission',
    at: place(at),
    hits: 1,
    ...(reserve !== undefined && { reserve: { chars: reserve, untilMs: at + 600_000 } }),
  },
  inputChars: 0,
  outputChars: 0,
  offset,
});

describe('foldCall', () => {
  it('counts a new call where its usage event reports it, and notes where it was first counted', () => {
    const folded = foldCall(undefined, [usage(7, 1_000)]);
    expect(folded.counted).toEqual([{ ...place(1_000), calls: 1, inputChars: 70, outputChars: 30 }]);
    expect(folded).toMatchObject({ usageOffset: 7, usageCountedCall: true, changedBy: ['usage'] });
    expect(folded.record).toMatchObject({ usage: true, admitted: false, calledAt: place(1_000) });
  });

  it('moves a call its usage event counted to where its later admission was made', () => {
    const folded = foldCall(undefined, [usage(1, 5_000), admission(2, 4_000)]);
    expect(folded.counted).toEqual([
      { ...place(5_000), calls: 1, inputChars: 70, outputChars: 30 },
      { ...place(4_000), calls: 1, inputChars: 0, outputChars: 0 },
      { ...place(5_000), calls: -1, inputChars: 0, outputChars: 0 },
    ]);
    expect(folded.vacated).toEqual([{ ...place(5_000), calls: 0, inputChars: 0, outputChars: 0 }]);
    expect(folded).toMatchObject({ usageOffset: 1, admissionOffset: 2, usageCountedCall: true });
  });

  it('changes nothing for facts applied before', () => {
    const prior: CallRecord<CallPlace> = { admitted: true, usage: true };
    const folded = foldCall(prior, [usage(9, 1_000), admission(10, 1_000)]);
    expect(folded).toMatchObject({ changedBy: [], counted: [], vacated: [], settlesStored: false });
    expect(folded.record).toBe(prior);
    expect(folded.opens).toBeUndefined();
  });

  it('stores the reservation an admission opens', () => {
    const folded = foldCall(undefined, [admission(3, 1_000, 5_000)]);
    expect(folded.opens).toEqual({ chars: 5_000, untilMs: 601_000, at: place(1_000) });
    expect(folded.settlesStored).toBe(false);
  });

  it('neither stores nor removes a reservation opened and settled in the same batch', () => {
    const folded = foldCall(undefined, [admission(3, 1_000, 5_000), usage(4, 2_000)]);
    expect(folded.opens).toBeUndefined();
    expect(folded.settlesStored).toBe(false);
    expect(folded.record?.reservation).toBeUndefined();
  });

  it('removes the stored reservation its usage event settles, and keeps one the batch did not touch', () => {
    const reservation = { chars: 5_000, untilMs: 601_000, at: place(0) };
    const settled = foldCall({ admitted: true, usage: false, reservation }, [usage(4, 2_000)]);
    expect(settled).toMatchObject({ settlesStored: true, changedBy: ['usage'] });
    expect(settled.opens).toBeUndefined();
    const untouched = foldCall({ admitted: true, usage: false, reservation }, [admission(5, 1_000)]);
    expect(untouched).toMatchObject({ settlesStored: false, changedBy: [] });
    expect(untouched.opens).toBeUndefined();
  });
});
