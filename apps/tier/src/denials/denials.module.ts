import { Module } from '@nestjs/common';
import { DenialsReader } from './denials-reader';
import { GetOrgDenialsHttpController } from './get-org-denials.http.controller';
import { TopDenialsHttpController } from './top-denials.http.controller';

/** The analysts' denial queries, from the projector's denials_by_minute. */
@Module({
  controllers: [TopDenialsHttpController, GetOrgDenialsHttpController],
  providers: [DenialsReader],
})
export class DenialsModule {}
