import { CallFields } from '../fields/call-fields';
import { isTextField } from '../fields/text-field';
import { RecordUsageRequest, isRecentTimestamp } from './record-usage.request';
import { UsageLimits } from './usage-limits';

const required = ['id', 'orgId', 'endpoint', 'inputChars', 'outputChars', 'timestamp'];
const optional = ['userId', 'keyId', 'model'] as const;
const allowed = new Set([...required, ...optional]);

const count = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= UsageLimits.maxChars;

/**
 * The ingest hot path: class-transformer and class-validator cost about 28 µs per event, most of a
 * batch's handling. This check is a strict subset of RecordUsageRequest's rules (a spec holds the two
 * together): what it accepts, the DTO accepts too. Both check text through the same CallFields rules.
 * Anything else, however small the doubt, goes through the DTO, which stays the one source of the
 * rules' wording and of the API docs.
 */
export function isPlainlyValidUsageBatch(body: unknown, now: number): body is RecordUsageRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'events') return false;
  const events = (body as { events: unknown }).events;
  if (!Array.isArray(events) || events.length < 1 || events.length > UsageLimits.maxEventsPerBatch)
    return false;
  for (const event of events as unknown[]) {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
    if (Object.getPrototypeOf(event) !== Object.prototype) return false;
    const e = event as Record<string, unknown>;
    for (const key of Object.keys(e)) if (!allowed.has(key)) return false;
    if (
      !isTextField(e.id, CallFields.callId) ||
      !isTextField(e.orgId, CallFields.orgId) ||
      !isTextField(e.endpoint, CallFields.endpoint)
    )
      return false;
    for (const field of optional) if (field in e && !isTextField(e[field], CallFields[field])) return false;
    if (!count(e.inputChars) || !count(e.outputChars) || !isRecentTimestamp(e.timestamp, now)) return false;
  }
  return true;
}
