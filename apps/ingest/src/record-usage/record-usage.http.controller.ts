import { Body, Controller, HttpCode, HttpException, HttpStatus, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { RecordUsageRequest, RecordUsageResponse } from '@metergate/contracts';
import { PublishFailedError } from '@metergate/messaging';
import { validateBody } from '@metergate/platform';
import { RecordUsageService } from './record-usage.service';

const RETRY_AFTER_SECONDS = 2;

@ApiTags('usage')
@Controller('v1/usage')
export class RecordUsageHttpController {
  constructor(private readonly recordUsage: RecordUsageService) {}

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
    @Res({ passthrough: true }) response: Response,
  ): Promise<RecordUsageResponse> {
    const request = validateBody(RecordUsageRequest, body, (r) =>
      this.recordUsage.unknownEndpoints(r.events ?? []),
    );
    try {
      return { accepted: await this.recordUsage.record(request.events, new Date()) };
    } catch (error) {
      if (!(error instanceof PublishFailedError)) throw error;
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
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
