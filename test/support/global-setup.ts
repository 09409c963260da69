import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Integration tests need the real broker: start the local one unless KAFKA_BROKERS points elsewhere.
 * The launcher is a no-op when a broker already answers, so a developer's running stack is reused.
 */
export default function globalSetup(): void {
  if (process.env.KAFKA_BROKERS) return;
  execFileSync(join(__dirname, '../../scripts/kafka.sh'), ['start'], { stdio: 'inherit' });
}
