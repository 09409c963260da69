import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** The only place the tier service reads the time; tests and replays can substitute it. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** The only place the tier service makes ids (event ids, application ids). */
@Injectable()
export class IdGenerator {
  newId(): string {
    return randomUUID();
  }
}
