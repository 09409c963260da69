import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@metergate/platform';
import { DeadLetterReader, DeadLetterView } from './dead-letter-reader';
import { ListDeadLettersRequest } from './list-dead-letters.request';

@ApiTags('dead letters')
@Roles('admin')
@Controller('v1/dead-letters')
export class ListDeadLettersHttpController {
  constructor(private readonly reader: DeadLetterReader) {}

  @Get()
  @ApiOkResponse({
    description:
      'Records the projector set aside instead of applying (undecodable, or refused by PostgreSQL after their ' +
      'retries), oldest first; `next` is the cursor of the following page (`?after=`), null on the last.',
  })
  list(
    @Query() query: ListDeadLettersRequest,
  ): Promise<{ deadLetters: DeadLetterView[]; next: string | null }> {
    return this.reader.page(query.after ?? '0', query.limit ?? 100);
  }
}
