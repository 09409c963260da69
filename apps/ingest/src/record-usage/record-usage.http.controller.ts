import { Body, Controller, HttpCode, HttpException, HttpStatus, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { RecordUsageRequest, RecordUsageResponse } from '@metergate/contracts';
import { PublishFailedError } from '@metergate/messaging';
import { invalidInput } from '@metergate/platform';
import { RecordUsageService, UnknownEndpointsError } from './record-usage.service';

const RETRY_AFTER_SECONDS = 2;

@ApiTags('usage')
@Controller('v1/usage')
export class RecordUsageHttpController {
  constructor(private readonly recordUsage: RecordUsageService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({
    type: RecordUsageResponse,
    description: 'Kafka acknowledged every event of the batch.',
  })
  @ApiBadRequestResponse({ description: 'The batch is invalid; nothing of it was published.' })
  @ApiServiceUnavailableResponse({
    description: 'Kafka is unavailable; sending the same batch again is safe.',
  })
  async record(
    @Body() request: RecordUsageRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RecordUsageResponse> {
    try {
      return { accepted: await this.recordUsage.record(request.events, new Date()) };
    } catch (error) {
      if (error instanceof UnknownEndpointsError) throw invalidInput(error.problems);
      if (error instanceof PublishFailedError) {
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
      throw error;
    }
  }
}
