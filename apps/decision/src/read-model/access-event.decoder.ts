import {
  ACCESS_EVENT,
  ActiveApiKey,
  InvalidEventError,
  decodeAccessState,
  requireEnvelope,
} from '@metergate/contracts';
import { OrgAccess } from '@metergate/policy';

/** An organization's access as the decision app holds it: the rules' view and its active keys. */
export interface HeldAccess extends OrgAccess {
  apiKeys: readonly ActiveApiKey[];
}

/**
 * Reads the resulting access state every AccessEventV1 carries; the fact itself does not matter here,
 * which lets the read model apply any kind of access event, including kinds added later.
 */
export function decodeAccessEvent(value: unknown): { orgId: string; access: HeldAccess } {
  const envelope = requireEnvelope(value, ACCESS_EVENT, 1);
  const payload = envelope.payload as Record<string, unknown>;
  const { orgId, aggregateVersion } = payload;
  if (typeof orgId !== 'string' || orgId.length === 0) throw new InvalidEventError('orgId is missing');
  if (!Number.isSafeInteger(aggregateVersion) || (aggregateVersion as number) < 1) {
    throw new InvalidEventError('aggregateVersion must be a positive integer');
  }
  const state = decodeAccessState(payload.access);
  return {
    orgId,
    access: {
      tier: state.tier,
      status: state.status,
      limitOverrides: state.limitOverrides,
      models: state.models,
      apiKeys: state.apiKeys,
      version: aggregateVersion as number,
    },
  };
}
