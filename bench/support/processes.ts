import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..', '..');
export const logDir = join(repoRoot, '.data', 'bench');

/** Node flags for every app the bench starts (BENCH_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`). */
const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter((arg) => arg !== '') ?? [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The apps run with NODE_ENV=production, which requires tokens; the bench calls as a gateway would. */
export const BENCH_SERVICE_TOKEN = 'bench-service-token';
export const BENCH_AUTHORIZATION = `Bearer ${BENCH_SERVICE_TOKEN}`;

export interface AppSpec {
  name: string;
  /** Path of the compiled entry point, relative to the repository root. */
  entry: string;
  env: Record<string, string>;
  /** Answers 200 once the app can take load. */
  readyUrl: string;
  /** How long the app may take to answer 200 there (60 s). */
  timeoutMs?: number;
  /** How often readiness is asked for (200 ms); the start-up time measured is this precise. */
  pollMs?: number;
}

/** An app booted as a child process; its output goes to .data/bench/<name>.log for post-mortems. */
export class RunningApp {
  private exited = false;
  /** From the spawn to the first 200 of the readiness URL, in milliseconds. */
  readyAfterMs = NaN;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.once('exit', () => (this.exited = true));
  }

  static async start(spec: AppSpec): Promise<RunningApp> {
    const timeoutMs = spec.timeoutMs ?? 60_000;
    const spawnedAt = performance.now();
    const log = createWriteStream(join(logDir, `${spec.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [...nodeArgs, spec.entry], {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        AUTH_TOKENS: `service:${BENCH_SERVICE_TOKEN}`,
        ...spec.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const app = new RunningApp(spec.name, child);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (app.exited) throw new Error(`${spec.name} exited during start; see .data/bench/${spec.name}.log`);
      const status = await fetch(spec.readyUrl).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) {
        app.readyAfterMs = performance.now() - spawnedAt;
        return app;
      }
      if (Date.now() > deadline) {
        await app.stop();
        throw new Error(`${spec.name} not ready at ${spec.readyUrl} within ${timeoutMs} ms`);
      }
      await sleep(spec.pollMs ?? 200);
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resident and peak resident memory in MiB, from /proc/<pid>/status. */
  async memory(): Promise<{ rssMiB: number; peakMiB: number }> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const kib = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  }

  /** SIGTERM, then SIGKILL if the app has not left within the grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
}

/** Every app started through here, so that a failing scenario still leaves nothing running. */
export class AppRegistry {
  private readonly apps = new Set<RunningApp>();

  async start(spec: AppSpec): Promise<RunningApp> {
    const app = await RunningApp.start(spec);
    this.apps.add(app);
    return app;
  }

  async stop(app: RunningApp): Promise<void> {
    this.apps.delete(app);
    await app.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.apps].map((app) => this.stop(app)));
  }
}

export const entries = {
  ingest: 'dist/apps/ingest/apps/ingest/src/main.js',
  projector: 'dist/apps/projector/apps/projector/src/main.js',
  decision: 'dist/apps/decision/apps/decision/src/main.js',
  bareHttp: 'dist/bench/bench/apps/bare-http.main.js',
  bareGrpc: 'dist/bench/bench/apps/bare-grpc.main.js',
  limiterHttp: 'dist/bench/bench/apps/limiter-http.main.js',
} as const;
