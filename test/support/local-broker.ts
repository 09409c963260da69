import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testBrokers } from './test-kafka';

const run = promisify(execFile);
const root = join(__dirname, '../..');

/**
 * The broker scripts/kafka.sh started for this run (its pid file in .data/kafka), stopped and started
 * again as an operator would. Integration and end-to-end files run one at a time, so no other test
 * shares the outage.
 */
export const localBroker = {
  ensureOurs(): void {
    const pidFile = join(root, '.data/kafka/kafka.pid');
    if (!existsSync(pidFile)) {
      throw new Error(
        `this test stops and starts the broker started by scripts/kafka.sh, whose ${pidFile} is missing`,
      );
    }
  },

  async stop(): Promise<void> {
    await run('bash', [join(root, 'scripts/kafka.sh'), 'stop'], { env: brokerEnv() });
  },

  async start(): Promise<void> {
    await run('bash', [join(root, 'scripts/kafka.sh'), 'start'], { env: brokerEnv(), timeout: 200_000 });
  },
};

/** The ports the broker was started with: the run's broker address, and by convention the next port. */
function brokerEnv(): NodeJS.ProcessEnv {
  const port = Number(testBrokers[0].split(':')[1]);
  return {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: process.env.KAFKA_CONTROLLER_PORT ?? String(port + 1),
  };
}
