import { requireString } from '../envelope';
import { CallFields } from '../fields/call-fields';

/** Whose call an event is about; usage events and admissions name it the same way. */
export interface CallSubject {
  orgId: string;
  userId?: string;
  /** The API key the call was made with, when the caller knows it. */
  keyId?: string;
  endpoint: string;
  model?: string;
}

/** Reads and checks a payload's call subject; optional fields absent stay absent. */
export function decodeCallSubject(payload: Record<string, unknown>): CallSubject {
  const subject: CallSubject = {
    orgId: requireString(payload, 'orgId', CallFields.orgId) as string,
    endpoint: requireString(payload, 'endpoint', CallFields.endpoint) as string,
  };
  const userId = requireString(payload, 'userId', CallFields.userId, true);
  if (userId !== undefined) subject.userId = userId;
  const keyId = requireString(payload, 'keyId', CallFields.keyId, true);
  if (keyId !== undefined) subject.keyId = keyId;
  const model = requireString(payload, 'model', CallFields.model, true);
  if (model !== undefined) subject.model = model;
  return subject;
}
