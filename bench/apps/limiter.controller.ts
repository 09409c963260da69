import { BadRequestException, Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { Roles } from '@metergate/platform';

export const LIMITERS = Symbol('LIMITERS');

/** The default policy's limits for `embed` on the trial tier, one limiter per window. */
export interface Limiters {
  perMinute: RateLimiterPostgres;
  perDay: RateLimiterPostgres;
}

interface Answer {
  allowed: boolean;
  remaining: { minute: number; day: number };
}

/**
 * The decision route as a Node service would usually write it with rate-limiter-flexible: one
 * PostgreSQL-backed limiter per window, both consumed for each call, the answer built from what they
 * return. Its windows are fixed rather than sliding, which makes each check cheaper than Metergate's.
 */
// The same token check as the decision route, so that the comparison leaves only the decision's work.
@Roles('service')
@Controller('v1/decisions')
export class LimiterController {
  constructor(@Inject(LIMITERS) private readonly limiters: Limiters) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  async check(@Body() body: unknown): Promise<Answer> {
    const { orgId, endpoint } = (body ?? {}) as { orgId?: unknown; endpoint?: unknown };
    if (typeof orgId !== 'string' || typeof endpoint !== 'string') {
      throw new BadRequestException('orgId and endpoint are required');
    }
    const key = `${orgId}:${endpoint}`;
    const outcomes = await Promise.all([
      this.limiters.perMinute.consume(key).then(
        (res) => ({ allowed: true, res }),
        (rejection: unknown) => {
          if (rejection instanceof RateLimiterRes) return { allowed: false, res: rejection };
          throw rejection;
        },
      ),
      this.limiters.perDay.consume(key).then(
        (res) => ({ allowed: true, res }),
        (rejection: unknown) => {
          if (rejection instanceof RateLimiterRes) return { allowed: false, res: rejection };
          throw rejection;
        },
      ),
    ]);
    return {
      allowed: outcomes.every((o) => o.allowed),
      remaining: { minute: outcomes[0].res.remainingPoints, day: outcomes[1].res.remainingPoints },
    };
  }
}
