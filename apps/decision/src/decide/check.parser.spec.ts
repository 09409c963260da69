import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CallAdmission, decodeCallAdmissions, decodeJson } from '@metergate/contracts';
import { FieldProblem } from '@metergate/platform';
import { CompiledPolicy, parseAccessPolicy } from '@metergate/policy';
import { decodeMeteredEvents } from '../../../projector/src/usage/usage-event.decoder';
import { hostileCount, hostileFields, overHttp } from '../../../../test/support/hostile-usage';
import { admissionRecordsV1, admissionRecordsV2 } from './admission-records';
import { parseCheck } from './check.parser';

const policy = new CompiledPolicy(
  parseAccessPolicy(
    JSON.parse(readFileSync(join(__dirname, '../../../../config/access-policy.json'), 'utf8')),
  ),
);

function parse(body: unknown) {
  const problems: FieldProblem[] = [];
  return { check: parseCheck(body, policy, '', problems), problems };
}

describe('parseCheck', () => {
  it.each([
    ['U+0000', 'req\u0000'],
    ['a lone surrogate', '\ud800'],
    ['a newline', 'a\nb'],
    ['nothing but spaces', '   '],
    ['an empty string', ''],
    ['65 emoji (130 code units)', '😀'.repeat(65)],
  ])('refuses a requestId with %s, naming it', (_name, requestId) => {
    const { check, problems } = parse({ orgId: 'acme', endpoint: 'embed', requestId });
    expect(check).toBeUndefined();
    expect(problems.map((p) => p.field)).toEqual(['requestId']);
  });

  it.each([
    ['empty', ''],
    ['blank', ' '],
    ['U+0000', 'small\u0000'],
    ['a lone surrogate', 'small\udc00'],
    ['a right-to-left override', '\u202esmall'],
    ['a trailing space', 'small '],
  ])('refuses a model that is %s, naming it', (_name, model) => {
    const { problems } = parse({ orgId: 'acme', endpoint: 'embed', model });
    expect(problems.map((p) => p.field)).toEqual(['model']);
  });

  it('accepts a requestId of printable Unicode and names each problem by its path in a batch', () => {
    expect(parse({ orgId: 'acme', endpoint: 'embed', requestId: 'запрос 😀 \u200f1' }).check).toMatchObject({
      requestId: 'запрос 😀 \u200f1',
    });
    const problems: FieldProblem[] = [];
    parseCheck({ orgId: 'a b', endpoint: 'embed', requestId: '\u0000' }, policy, 'checks[2]', problems);
    expect(problems.map((p) => p.field)).toEqual(['checks[2].orgId', 'checks[2].requestId']);
  });

  it('refuses each of 10,000 hostile checks naming a field of it, or its admission is decoded by every consumer', () => {
    const check = fc.record(
      {
        orgId: hostileFields.identifier,
        endpoint: hostileFields.endpoint,
        model: hostileFields.model,
        userId: hostileFields.identifier,
        requestId: hostileFields.callId,
        hits: hostileCount,
      },
      { requiredKeys: ['orgId', 'endpoint'] },
    );
    const now = '2026-11-28T12:00:00.000Z';
    let accepted = 0;
    fc.assert(
      fc.property(check, (generated) => {
        const body = overHttp(generated) as Record<string, unknown>;
        const { check: valid, problems } = parse(body);
        if (valid === undefined) {
          const fields = new Set([...Object.keys(body), 'orgId', 'endpoint']);
          expect(problems.length).toBeGreaterThan(0);
          for (const problem of problems) expect(fields).toContain(problem.field);
          return;
        }
        accepted += 1;
        // Built as AdmissionPublisher builds it; a check without a requestId gets a UUID.
        const admission: CallAdmission = {
          id: valid.requestId ?? '0d6b2a57-52c4-4c3f-8b8e-6f4a6a0f5d11',
          occurredAt: now,
          orgId: valid.orgId!,
          endpoint: valid.endpointName,
          hits: valid.hits,
        };
        if (valid.userId !== undefined) admission.userId = valid.userId;
        if (valid.model !== undefined) admission.model = valid.model;
        const records = [
          ...admissionRecordsV1([admission]),
          ...admissionRecordsV2(
            [admission],
            () => 0,
            now,
            () => 'record-1',
          ),
        ];
        for (const { value } of records) {
          const wire = Buffer.from(value);
          expect(decodeCallAdmissions(decodeJson(wire))).toEqual([
            expect.objectContaining({
              id: admission.id,
              payload: expect.objectContaining({ orgId: valid.orgId }),
            }),
          ]);
          expect(decodeMeteredEvents(wire)).toEqual([
            expect.objectContaining({
              id: admission.id,
              fact: expect.objectContaining({
                kind: 'admission',
                hits: valid.hits,
                at: expect.objectContaining({ model: valid.model ?? '' }),
              }),
            }),
          ]);
        }
      }),
      { numRuns: 10_000 },
    );
    expect(accepted).toBeGreaterThan(1000);
  });
});
