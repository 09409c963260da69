import { loadConfig } from '@metergate/platform';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ProjectorConfig } from '../../apps/projector/src/projector.config';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { startApp, testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { createTopic, eventually, testBrokers, uniqueName } from '../support/test-kafka';
import {
  UsageStream,
  appliedMessages,
  caughtUp,
  expectedAggregates,
  readAggregates,
} from '../support/usage-stream';

const root = join(__dirname, '../..');
const builtMain = join(root, 'dist/apps/projector/apps/projector/src/main.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Newest modification time of the files under `dir` whose names match `pattern`. */
function newest(dir: string, pattern: RegExp): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && pattern.test(entry.name)) {
      latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return latest;
}

/** A SIGKILL needs a real process: build the projector as `npm run build` does, unless dist is current. */
function ensureBuilt(): void {
  const sources = Math.max(
    newest(join(root, 'apps/projector/src'), /\.ts$/),
    ...['contracts', 'database', 'messaging', 'platform', 'policy'].map((lib) =>
      newest(join(root, 'libs', lib, 'src'), /\.ts$/),
    ),
  );
  if (!existsSync(builtMain) || newest(join(root, 'dist/apps/projector'), /\.js$/) < sources) {
    execFileSync('npx', ['nest', 'build', 'projector'], { cwd: root, stdio: 'inherit' });
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The built projector as its own OS process, so that it can die by SIGKILL with no chance to clean up. */
class ProjectorProcess {
  private readonly output: string[] = [];
  readonly exited: Promise<NodeJS.Signals | number | null>;

  private constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  }

  static async start(env: Record<string, string>): Promise<ProjectorProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [builtMain], {
      cwd: root,
      env: { PATH: process.env.PATH, ...testEnv({ ...env, PROJECTOR_HTTP_PORT: String(port) }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ProjectorProcess(child);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the process printed, to explain a failure. */
  tail(lines = 30): string {
    return this.output.slice(-lines).join('\n');
  }

  async signal(signal: NodeJS.Signals): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.exited;
  }
}

// The projector process killed with SIGKILL at random moments while it consumes, restarted each time.
describe('projector killed with SIGKILL mid-stream', () => {
  let db: TestDatabase;
  let replayDb: TestDatabase;
  let stream: UsageStream;
  const processes: ProjectorProcess[] = [];
  const topic = uniqueName('usage.recorded.v1');
  const group = uniqueName('projector-crash');
  const env = {
    KAFKA_BROKERS: testBrokers.join(','),
    USAGE_TOPIC: topic,
    CALLS_ADMITTED_TOPIC: uniqueName('decision.admitted.v1'),
    ACCESS_EVENTS_TOPIC: uniqueName('access.events.v1'),
    PROJECTOR_GROUP_ID: group,
  };

  beforeAll(async () => {
    ensureBuilt();
    db = await TestDatabase.create('projector_crash');
    replayDb = await TestDatabase.create('projector_replay');
    await createTopic(topic, 3);
    stream = new UsageStream(topic, { orgs: 7, startAt: Date.now() - 240_000 });
  }, 120_000);

  afterAll(async () => {
    for (const projector of processes) await projector.signal('SIGKILL');
    await stream?.close();
    await db?.drop();
    await replayDb?.drop();
  });

  const query = <T extends object>(sql: string, params?: unknown[]) => db.query<T>(sql, params);
  const replayQuery = <T extends object>(sql: string, params?: unknown[]) => replayDb.query<T>(sql, params);

  it('loses nothing and counts nothing twice, equal row for row to a clean replay', async () => {
    for (let cycle = 0; cycle < 3; cycle++) {
      const projector = await ProjectorProcess.start({ ...env, DATABASE_URL: db.url });
      processes.push(projector);
      const before = await appliedMessages(query, group, topic);
      // A backlog builds up while a restarted member waits out the killed one's session for partitions.
      await stream.produce(1000, 100);
      const progressed = await eventually(
        async () => (await appliedMessages(query, group, topic)) > before,
        45_000,
      );
      expect({ progressed, running: projector.running, output: progressed ? '' : projector.tail() }).toEqual({
        progressed: true,
        running: true,
        output: '',
      });
      // Then the kill lands at a random moment while it works through the backlog and more keeps coming.
      const flowing = stream.produce(600, 30, 15);
      await sleep(Math.floor(Math.random() * 300));
      const producedAtKill = stream.produced.length;
      await projector.signal('SIGKILL');
      await flowing;
      // The kill came while the stream was still flowing.
      expect(stream.produced.length).toBeGreaterThan(producedAtKill);
    }

    // A clean replay: a fresh group reads the whole topic from the beginning into a fresh database, with
    // no crash. It starts now because the restarted member first waits out the killed one's session.
    const replayGroup = uniqueName('projector-replay');
    const replay = await startApp(
      'projector',
      ProjectorModule.create(
        loadConfig(
          ProjectorConfig,
          testEnv({ ...env, DATABASE_URL: replayDb.url, PROJECTOR_GROUP_ID: replayGroup }),
        ),
      ),
    );
    try {
      const last = await ProjectorProcess.start({ ...env, DATABASE_URL: db.url });
      processes.push(last);
      await stream.produce(1000, 100, 10);
      const done = await caughtUp(query, group, stream, 60_000);
      expect({ done, output: done ? '' : last.tail() }).toEqual({ done: true, output: '' });
      await last.signal('SIGTERM');
      expect(await caughtUp(replayQuery, replayGroup, stream, 30_000)).toBe(true);
    } finally {
      await replay.close();
    }

    const survived = await readAggregates(query);
    expect(survived).toEqual(await readAggregates(replayQuery));
    expect(survived).toEqual(expectedAggregates(stream.produced));
  }, 200_000);
});
