import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { Roles } from '@metergate/platform';

/**
 * The bare route: the same path, body handling and status as the decision route, and an answer of the
 * decision's size, but no work: what is left is the cost of the HTTP stack itself.
 */
const ANSWER = {
  allowed: true,
  reason: null,
  tier: 'trial',
  retryAfterSeconds: null,
  limits: [
    { name: 'embed_per_minute', window: 'minute', limit: 500, remaining: 499, resetSeconds: 60 },
    { name: 'embed_per_day', window: 'day', limit: 100000, remaining: 99999, resetSeconds: 86400 },
  ],
  requestId: '00000000-0000-4000-8000-000000000000',
  asOf: '2026-01-01T00:00:00.000Z',
};

// The same token check as the decision route, so that the comparison leaves only the decision's work.
@Roles('service')
@Controller('v1/decisions')
export class ConstantController {
  @Post()
  @HttpCode(HttpStatus.OK)
  check(@Body() _body: unknown): typeof ANSWER {
    return ANSWER;
  }
}
