import { bootstrapHttpApp, loadConfig, runMain, tlsFiles } from '@metergate/platform';
import { TierConfig } from './tier.config';
import { TierModule } from './tier.module';

runMain(async () => {
  const config = loadConfig(TierConfig);
  return bootstrapHttpApp(TierModule.create(config), {
    name: 'tier',
    port: config.TIER_HTTP_PORT,
    tls: tlsFiles(config),
  });
});
