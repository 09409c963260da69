import { ConfigError, loadConfig } from '@metergate/platform';
import { ProjectorConfig } from '../projector.config';
import { rebuildProjections } from './rebuild-projections';

// `npm run rebuild-projections -- <target database url>`: see rebuild-projections.ts. Topics and the
// group name come from the same environment as the projector's.
async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target || !/^postgres(ql)?:\/\//.test(target)) {
    console.error('usage: npm run rebuild-projections -- postgres://user@host:port/fresh_database');
    process.exit(2);
  }
  const config = loadConfig(ProjectorConfig);
  const result = await rebuildProjections(config, target);
  const read = result.topics.map((t) => `${result.messages[t]} from ${t}`).join(', ');
  console.log(
    `rebuilt the projections into ${new URL(target).pathname.slice(1)}: ${read} in ${result.seconds} s`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
