import { ConfigError, loadConfig } from '@metergate/platform';
import { ProjectorConfig } from '../projector.config';
import { realignOffsets } from './realign-offsets';

// `npm run realign-offsets [-- --topic <name> ...]`: see realign-offsets.ts. The database, the topics and
// the group come from the same environment as the projector's.
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const forced: string[] = [];
  for (let i = 0; i < args.length; i += 2) {
    if (args[i] !== '--topic' || !args[i + 1]) {
      console.error('usage: npm run realign-offsets [-- --topic <name> ...]');
      process.exit(2);
    }
    forced.push(args[i + 1]);
  }
  const { mismatches, realigned } = await realignOffsets(loadConfig(ProjectorConfig), forced);
  for (const m of mismatches) console.log(`mismatch: ${m.detail}`);
  if (realigned.length === 0) {
    console.log('the stored offsets match the topics: nothing to realign');
    return;
  }
  for (const r of realigned) {
    const starts = r.partitions.map((p) => `[${p.partition}] ${p.from}`).join(', ');
    console.log(`${r.group}: ${r.topic} counted from its start (${starts || 'no partitions'})`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
