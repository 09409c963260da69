import { ACCESS_EVENT, InvalidEventError, isObject, requireEnvelope } from '@metergate/contracts';
import { OrgAccess } from '@metergate/policy';

/**
 * Reads the resulting access state every AccessEventV1 carries; the fact itself does not matter here,
 * which lets the read model apply any kind of access event, including kinds added later.
 */
export function decodeAccessState(value: unknown): { orgId: string; access: OrgAccess } {
  const envelope = requireEnvelope(value, ACCESS_EVENT, 1);
  const payload = envelope.payload as Record<string, unknown>;
  const { orgId, aggregateVersion, access } = payload;
  if (typeof orgId !== 'string' || orgId.length === 0) throw new InvalidEventError('orgId is missing');
  if (!Number.isSafeInteger(aggregateVersion) || (aggregateVersion as number) < 1) {
    throw new InvalidEventError('aggregateVersion must be a positive integer');
  }
  if (!isObject(access) || typeof access.tier !== 'string')
    throw new InvalidEventError('access.tier is missing');
  if (access.status !== 'active' && access.status !== 'suspended') {
    throw new InvalidEventError('access.status must be active or suspended');
  }
  const overrides = access.limitOverrides ?? {};
  if (!isObject(overrides)) throw new InvalidEventError('access.limitOverrides must be an object');
  return {
    orgId,
    access: {
      tier: access.tier,
      status: access.status,
      limitOverrides: overrides as OrgAccess['limitOverrides'],
      version: aggregateVersion as number,
    },
  };
}
