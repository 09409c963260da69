import { UsageLimits } from '@metergate/contracts';
import { bootstrapHttpApp, loadConfig, runMain, tlsFiles } from '@metergate/platform';
import { IngestConfig } from './ingest.config';
import { IngestModule } from './ingest.module';

runMain(async () => {
  const config = loadConfig(IngestConfig);
  return bootstrapHttpApp(IngestModule.create(config), {
    name: 'ingest',
    port: config.INGEST_HTTP_PORT,
    tls: tlsFiles(config),
    bodyLimit: UsageLimits.maxBodyBytes,
  });
});
