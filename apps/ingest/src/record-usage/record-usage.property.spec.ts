import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { UsageEventDto, decodeJson, decodeUsageRecordedV1, usageRecordedV1 } from '@metergate/contracts';
import { FieldProblem } from '@metergate/platform';
import { parseAccessPolicy } from '@metergate/policy';
import { decodeMeteredEvents } from '../../../projector/src/usage/usage-event.decoder';
import { hostileUsageEvent, overHttp } from '../../../../test/support/hostile-usage';
import { validateRecordUsage } from './record-usage.validation';

const policy = parseAccessPolicy(
  JSON.parse(readFileSync(join(__dirname, '../../../../config/access-policy.json'), 'utf8')),
);
const REQUIRED = ['id', 'orgId', 'endpoint', 'inputChars', 'outputChars', 'timestamp'];

type Outcome = { accepted: UsageEventDto } | { refused: FieldProblem[] };

/** The path POST /v1/usage takes, for a batch of this one event. */
function ingest(event: unknown, now: number): Outcome {
  try {
    return { accepted: validateRecordUsage({ events: [event] }, now, policy).events[0] };
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    return { refused: (error.getResponse() as { problems: FieldProblem[] }).problems };
  }
}

/** What PostgreSQL's text (UTF-8) stores unchanged. */
const storable = (text: string) => !text.includes('\u0000') && text === Buffer.from(text).toString();

describe('ingest and every consumer hold one definition of a usage event', () => {
  it('refuses each of 10,000 hostile events naming a field of it, or every consumer decodes it as accepted', () => {
    const now = Date.now();
    const recordedAt = new Date(now).toISOString();
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(hostileUsageEvent(now), (generated) => {
        const event = overHttp(generated) as Record<string, unknown>;
        const outcome = ingest(event, now);
        if ('refused' in outcome) {
          refused += 1;
          expect(outcome.refused.length).toBeGreaterThan(0);
          const fields = new Set([...Object.keys(event), ...REQUIRED].map((f) => `events[0].${f}`));
          for (const problem of outcome.refused) {
            expect(problem.index).toBe(0);
            expect(fields).toContain(problem.field);
          }
          return;
        }
        accepted += 1;
        const e = outcome.accepted;
        const wire = Buffer.from(JSON.stringify(usageRecordedV1(e, recordedAt)));
        // The projector's reading, and the decision read model's.
        expect(decodeMeteredEvents(wire)).toEqual([
          {
            orgId: e.orgId,
            id: e.id,
            fact: {
              kind: 'usage',
              at: {
                orgId: e.orgId,
                endpoint: e.endpoint,
                userId: e.userId ?? '',
                model: e.model ?? '',
                keyId: e.keyId ?? '',
                at: Date.parse(e.timestamp),
              },
              chars: e.inputChars + e.outputChars,
            },
            inputChars: e.inputChars,
            outputChars: e.outputChars,
          },
        ]);
        const read = decodeUsageRecordedV1(decodeJson(wire));
        expect(read.id).toBe(e.id);
        expect(read.payload).toMatchObject({ orgId: e.orgId, endpoint: e.endpoint });
        expect(read.payload.keyId).toBe(e.keyId ?? undefined);
        for (const text of [e.id, e.orgId, e.endpoint, e.userId ?? '', e.keyId ?? '', e.model ?? '']) {
          expect(storable(text)).toBe(true);
        }
      }),
      { numRuns: 10_000 },
    );
    // Both outcomes are exercised in earnest, so that the property cannot hold by refusing everything.
    expect(accepted).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
  });
});
