import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '../..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type AppName = 'ingest' | 'projector' | 'decision' | 'tier';

/** A built app (dist, as `npm start` runs it) in its own process, its output in .data/test-logs. */
export class AppProcess {
  private child?: ChildProcess;

  constructor(
    readonly name: AppName,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): void {
    const entry = join(root, `dist/apps/${this.name}/apps/${this.name}/src/main.js`);
    if (!existsSync(entry))
      throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
    const logDir = join(root, '.data/test-logs');
    mkdirSync(logDir, { recursive: true });
    const log = createWriteStream(join(logDir, `${this.name}-${this.port}.log`), { flags: 'a' });
    this.child = spawn(process.execPath, [entry], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: 'pipe',
    });
    this.child.stdout?.pipe(log);
    this.child.stderr?.pipe(log);
  }

  /**
   * SIGTERM, as an orchestrator stops it; SIGKILL when it does not exit within the deadline. Resolves
   * to how it ended: a clean stop exits by the signal it got (Nest re-raises it after closing).
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', deadlineMs = 15_000): Promise<Exit | undefined> {
    const child = this.child;
    if (!child) return undefined;
    if (child.exitCode !== null || child.signalCode !== null)
      return { code: child.exitCode, signal: child.signalCode };
    const exited = new Promise<Exit>((resolve) =>
      child.once('exit', (code, by) => resolve({ code, signal: by })),
    );
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  }

  async waitReady(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(`${this.name} exited with ${this.child.exitCode}; see .data/test-logs`);
      }
      const ok = await fetch(`${this.url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
