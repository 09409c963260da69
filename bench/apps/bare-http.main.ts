import { Module } from '@nestjs/common';
import { PlatformConfig, PlatformModule, bootstrapHttpApp, loadConfig, runMain } from '@metergate/platform';
import { ConstantController } from './constant.controller';

// Booted through the platform's own bootstrap (logger, body parser, validation pipe, metrics), as the
// decision app is, so that the bare route runs on exactly the same HTTP stack.
runMain(async () => {
  const config = loadConfig(PlatformConfig);
  @Module({ imports: [PlatformModule.forRoot(config)], controllers: [ConstantController] })
  class BareHttpModule {}
  return bootstrapHttpApp(BareHttpModule, { name: 'bare-http', port: Number(process.env.BENCH_PORT) });
});
