import { bootstrapHttpApp, loadConfig, runMain, tlsFiles } from '@metergate/platform';
import { DecisionConfig } from './decision.config';
import { DecisionModule } from './decision.module';

runMain(async () => {
  const config = loadConfig(DecisionConfig);
  return bootstrapHttpApp(DecisionModule.create(config), {
    name: 'decision',
    port: config.DECISION_HTTP_PORT,
    // Checks arrive before every gateway call: a line each would cost more than the decision.
    unloggedRoutes: ['/v1/decisions'],
    tls: tlsFiles(config),
  });
});
