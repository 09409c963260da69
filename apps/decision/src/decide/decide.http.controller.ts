import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DecisionAnswer, DecisionLimits } from '@metergate/contracts';
import { FieldProblem, invalidInput, Roles } from '@metergate/platform';
import { ReadModel } from '../read-model/read-model';
import { parseCheck } from './check.parser';
import { DecideService, ValidCheck } from './decide.service';
import { rateLimitHeaders } from './rate-limit-headers';

@ApiTags('decisions')
@Roles('service')
@Controller('v1/decisions')
export class DecideHttpController {
  constructor(
    private readonly decide: DecideService,
    private readonly model: ReadModel,
  ) {}

  /** Bodies are typed `unknown` so that the global validation pipe leaves them to the hand parser. */
  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'The decision; `allowed` says whether the call may go through.' })
  @ApiBadRequestResponse({ description: 'A field is invalid or the endpoint is unknown.' })
  async check(
    @Body() body: unknown,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<DecisionAnswer> {
    const problems: FieldProblem[] = [];
    const check = parseCheck(body, this.model.policy, '', problems);
    if (!check) throw invalidInput(problems);
    const answer = await this.decide.check(check);
    const headers = rateLimitHeaders(answer);
    if (headers.policy !== '') {
      response.header('RateLimit-Policy', headers.policy);
      response.header('RateLimit', headers.state);
    }
    if (headers.retryAfter !== undefined) response.header('Retry-After', headers.retryAfter);
    return answer;
  }

  @Post('batch')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'One decision per check, in the order of the checks.' })
  @ApiBadRequestResponse({ description: 'A check is invalid; none was decided.' })
  async checkBatch(@Body() body: unknown): Promise<{ results: DecisionAnswer[] }> {
    const problems: FieldProblem[] = [];
    const raw = (body as { checks?: unknown } | null)?.checks;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalidInput([{ field: 'body', message: 'body must be an object with checks' }]);
    }
    for (const key of Object.keys(body)) {
      if (key !== 'checks') problems.push({ field: key, message: `property ${key} should not exist` });
    }
    if (!Array.isArray(raw) || raw.length < 1 || raw.length > DecisionLimits.maxChecksPerBatch) {
      problems.push({
        field: 'checks',
        message: `checks must be a list of 1 to ${DecisionLimits.maxChecksPerBatch} checks`,
      });
      throw invalidInput(problems);
    }
    const checks: ValidCheck[] = [];
    raw.forEach((item, i) => {
      const check = parseCheck(item, this.model.policy, `checks[${i}]`, problems);
      if (check) checks.push(check);
    });
    if (problems.length > 0) throw invalidInput(problems);
    return { results: await this.decide.checkEach(checks) };
  }
}
