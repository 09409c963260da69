import { InvalidEventError, requireString } from '../envelope';
import { UsageLimits } from './usage-limits';

/** Whose call an event is about; usage events and admissions name it the same way. */
export interface CallSubject {
  orgId: string;
  userId?: string;
  endpoint: string;
  model?: string;
}

/** Reads and checks a payload's call subject; optional fields absent stay absent. */
export function decodeCallSubject(payload: Record<string, unknown>): CallSubject {
  const orgId = requireString(payload, 'orgId', UsageLimits.maxOrgIdLength) as string;
  const userId = requireString(payload, 'userId', UsageLimits.maxOrgIdLength, true);
  if (!UsageLimits.idPattern.test(orgId) || (userId !== undefined && !UsageLimits.idPattern.test(userId))) {
    throw new InvalidEventError('orgId and userId may hold only letters, digits, _ and -');
  }
  const subject: CallSubject = { orgId, endpoint: requireString(payload, 'endpoint', 64) as string };
  if (userId !== undefined) subject.userId = userId;
  const model = requireString(payload, 'model', UsageLimits.maxModelLength, true);
  if (model !== undefined) subject.model = model;
  return subject;
}
