import { Module } from '@nestjs/common';
import { DeadLetterReader } from './dead-letter-reader';
import { ListDeadLettersHttpController } from './list-dead-letters.http.controller';

/** What admins read of the records the projector set aside (the writing is the projections' own). */
@Module({ controllers: [ListDeadLettersHttpController], providers: [DeadLetterReader] })
export class DeadLettersModule {}
