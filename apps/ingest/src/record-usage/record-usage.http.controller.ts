import { Body, Controller, HttpCode, HttpException, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RecordUsageRequest, RecordUsageResponse } from '@metergate/contracts';
import { PublishFailedError } from '@metergate/messaging';
import { ACCESS_POLICY, Roles } from '@metergate/platform';
import { AccessPolicy } from '@metergate/policy';
import { RecordUsageService } from './record-usage.service';
import { validateRecordUsage } from './record-usage.validation';

const RETRY_AFTER_SECONDS = 2;

@ApiTags('usage')
@Roles('service')
@Controller('v1/usage')
export class RecordUsageHttpController {
  constructor(
    private readonly recordUsage: RecordUsageService,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiBody({ type: RecordUsageRequest })
  @ApiAcceptedResponse({
    type: RecordUsageResponse,
    description: 'Kafka acknowledged every event of the batch.',
  })
  @ApiBadRequestResponse({
    description: 'The batch is invalid (each bad event listed); nothing of it was published.',
  })
  @ApiPayloadTooLargeResponse({ description: 'The body is over 1 MiB.' })
  @ApiServiceUnavailableResponse({
    description: 'Kafka is unavailable; sending the same batch again is safe.',
  })
  async record(
    // Typed `unknown` so the global pipe passes it through: endpoints come from the access policy, and
    // their problems belong in the same 400 as the DTO's.
    @Body() body: unknown,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<RecordUsageResponse> {
    const now = new Date();
    const request = validateRecordUsage(body, now.getTime(), this.policy);
    try {
      return { accepted: await this.recordUsage.record(request.events, now) };
    } catch (error) {
      if (!(error instanceof PublishFailedError)) throw error;
      response.header('Retry-After', String(RETRY_AFTER_SECONDS));
      throw new HttpException(
        {
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'usage could not be stored right now; send the same batch again later',
        },
        HttpStatus.SERVICE_UNAVAILABLE,
        { cause: error },
      );
    }
  }
}
