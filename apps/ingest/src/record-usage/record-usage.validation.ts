import { RecordUsageRequest, UsageEventDto, isPlainlyValidUsageBatch } from '@metergate/contracts';
import { FieldProblem, validateBody } from '@metergate/platform';
import { AccessPolicy, isKnownEndpoint } from '@metergate/policy';

/**
 * The one way ingest validates a body: the batch itself, or a BadRequestException listing every
 * problem by field (the DTO's and the unknown endpoints' alike). The common, valid batch skips the DTO's
 * costly validation (see isPlainlyValidUsageBatch).
 */
export function validateRecordUsage(body: unknown, now: number, policy: AccessPolicy): RecordUsageRequest {
  const unknownEndpoints = (r: RecordUsageRequest) => unknownEndpointsOf(policy, r.events ?? []);
  return isPlainlyValidUsageBatch(body, now) && unknownEndpoints(body).length === 0
    ? body
    : validateBody(RecordUsageRequest, body, unknownEndpoints);
}

/** Endpoints come from the access policy, so the DTO cannot check them itself. */
function unknownEndpointsOf(policy: AccessPolicy, events: UsageEventDto[]): FieldProblem[] {
  if (!Array.isArray(events)) return [];
  return events.flatMap((event, index) =>
    typeof event?.endpoint !== 'string' || isKnownEndpoint(policy, event.endpoint)
      ? []
      : [
          {
            field: `events[${index}].endpoint`,
            message: `events[${index}].endpoint must be one of ${policy.endpoints.join(', ')}`,
          },
        ],
  );
}
