import { bootstrapHttpApp, loadConfig, runMain, tlsFiles } from '@metergate/platform';
import { ProjectorConfig } from './projector.config';
import { ProjectorModule } from './projector.module';

runMain(async () => {
  const config = loadConfig(ProjectorConfig);
  return bootstrapHttpApp(ProjectorModule.create(config), {
    name: 'projector',
    port: config.PROJECTOR_HTTP_PORT,
    tls: tlsFiles(config),
  });
});
