import { RecordUsageRequest, isRecentTimestamp } from './record-usage.request';
import { UsageLimits } from './usage-limits';

const required = ['id', 'orgId', 'endpoint', 'inputChars', 'outputChars', 'timestamp'];
const allowed = new Set([...required, 'userId', 'model']);

const text = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;
const count = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= UsageLimits.maxChars;
const idOf = (value: unknown) => text(value, UsageLimits.maxOrgIdLength) && UsageLimits.idPattern.test(value);

/**
 * The ingest hot path: class-transformer and class-validator cost about 28 µs per event, most of a
 * batch's handling. This check is a strict subset of RecordUsageRequest's rules (a spec holds the two
 * together): what it accepts, the DTO accepts too. Anything else, however small the doubt, goes through
 * the DTO, which stays the one source of the rules' wording and of the API docs.
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
    if (!text(e.id, UsageLimits.maxIdLength) || !idOf(e.orgId) || !text(e.endpoint, 64)) return false;
    if ('userId' in e && !idOf(e.userId)) return false;
    if ('model' in e && !(typeof e.model === 'string' && e.model.length <= UsageLimits.maxModelLength))
      return false;
    if (!count(e.inputChars) || !count(e.outputChars) || !isRecentTimestamp(e.timestamp, now)) return false;
  }
  return true;
}
