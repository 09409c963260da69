import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { apiKeyDigest, formatApiKey } from '@metergate/policy';
import { eventually, uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack, accessEvent } from './decision-harness';

/**
 * Envoy's rate limit protocol as Envoy's own protos read it: infra/envoy-client calls ShouldRateLimit with
 * the classes Envoy's project generates from its .proto files (io.envoyproxy.controlplane:api), so a
 * field, number or enum value that our copy of those files (libs/contracts/src/proto/envoy) got wrong
 * shows up here, where the other gRPC tests, built from our copy on both sides, cannot see it.
 */

const root = join(__dirname, '../..');
const script = join(root, 'scripts/envoy-client.sh');

/** What Envoy's grpc_service sends with `initial_metadata: [{key: authorization, value: "Bearer ..."}]`. */
const SERVICE = { authorization: 'Bearer dev-service' };

interface HeaderValue {
  key: string;
  value: string;
  raw_value: string;
}

/** envoy.service.ratelimit.v3.RateLimitResponse in proto3 JSON, Envoy's field names, defaults included. */
interface RateLimitResponse {
  overall_code: 'UNKNOWN' | 'OK' | 'OVER_LIMIT';
  statuses: {
    code: 'UNKNOWN' | 'OK' | 'OVER_LIMIT';
    current_limit?: { name: string; requests_per_unit: number; unit: string };
    limit_remaining: number;
    /** A google.protobuf.Duration: `"31s"`. */
    duration_until_reset?: string;
  }[];
  response_headers_to_add: HeaderValue[];
  request_headers_to_add: HeaderValue[];
  raw_body: string;
}

type Answer =
  | { response: RateLimitResponse }
  | { status: { code: string; description?: string } }
  | { invalidInput: string };

/** RateLimitProbe in its own JVM: a request a line on its stdin, its answer a line on its stdout. */
class EnvoyClient {
  private readonly child: ChildProcess;
  private readonly waiting: { resolve(line: string): void; reject(error: Error): void }[] = [];
  private stderr = '';

  constructor(target: string) {
    this.child = spawn('bash', [script, 'run', target], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.waiting.shift()?.resolve(line));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.once('exit', (code, signal) => {
      const error = new Error(`the Envoy client exited (${signal ?? code}): ${this.stderr}`);
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    });
  }

  send(request: unknown, metadata: Record<string, string> = SERVICE): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.waiting.push({ resolve: (line) => resolve(JSON.parse(line) as Answer), reject });
      this.child.stdin!.write(`${JSON.stringify({ metadata, request })}\n`);
    });
  }

  /** The response of a call that had to succeed. */
  async shouldRateLimit(request: unknown): Promise<RateLimitResponse> {
    const answer = await this.send(request);
    if (!('response' in answer)) throw new Error(`expected a response, got ${JSON.stringify(answer)}`);
    return answer.response;
  }

  /** Ends its input, as a gateway that is done; it exits once it has answered everything. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end();
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(kill);
  }
}

const request = (descriptors: unknown[], hitsAddend?: number) => ({
  domain: 'metergate',
  descriptors,
  ...(hitsAddend === undefined ? {} : { hits_addend: hitsAddend }),
});

/** A RateLimitDescriptor; `hits` sets its own hits_addend (a google.protobuf.UInt64Value). */
const descriptor = (entries: Record<string, string>, hits?: number) => ({
  entries: Object.entries(entries).map(([key, value]) => ({ key, value })),
  ...(hits === undefined ? {} : { hits_addend: hits }),
});

const seconds = (duration: string | undefined) => {
  const match = /^(\d+)s$/.exec(duration ?? '');
  if (!match) throw new Error(`not a whole number of seconds: ${duration}`);
  return Number(match[1]);
};

/**
 * The headers as Envoy adds them to the response: each HeaderValue's `value` (its `raw_value` would win
 * when set), each name once (a name twice would be two fields).
 */
const envoyHeaders = (headers: HeaderValue[]) => {
  const added: Record<string, string> = {};
  for (const header of headers) {
    expect(header.raw_value).toBe('');
    expect(header.key).toMatch(/^[A-Za-z0-9-]+$/);
    expect(header.value).not.toMatch(/[\r\n\0]/);
    expect(added).not.toHaveProperty(header.key);
    added[header.key] = header.value;
  }
  return added;
};

describe("Envoy's rate limit protocol, read by the client Envoy's own protos generate", () => {
  let stack: DecisionStack;
  let app: DecisionApp;
  let envoy: EnvoyClient;
  const org = () => uniqueName('org').replace(/\./g, '_');

  beforeAll(async () => {
    // npm test compiled it already; run alone, the first build (Maven downloading the jars) happens here.
    await promisify(execFile)('bash', [script, 'build'], { cwd: root });
    stack = await DecisionStack.create();
    app = await stack.boot();
    envoy = new EnvoyClient(`127.0.0.1:${app.grpcPort}`);
  }, 300_000);

  afterAll(async () => {
    await envoy?.close();
    await stack?.close();
  }, 30_000);

  it('answers OK until the trial minute limit and OVER_LIMIT after it, with the limit Envoy reads', async () => {
    const orgId = org();
    const generate = (hits?: number) =>
      request([descriptor({ org_id: orgId, endpoint: 'generate', model: 'small', user_id: 'u1' }, hits)]);
    const minute = { name: 'generate-minute', requests_per_unit: 60, unit: 'MINUTE' };

    const first = await envoy.shouldRateLimit(generate(59));
    expect(first.overall_code).toBe('OK');
    expect(first.statuses).toEqual([
      { code: 'OK', current_limit: minute, limit_remaining: 1, duration_until_reset: expect.any(String) },
    ]);
    // A minute's calls leave it a minute after they were counted, at most one 1-second bucket later.
    expect(seconds(first.statuses[0].duration_until_reset)).toBeGreaterThan(0);
    expect(seconds(first.statuses[0].duration_until_reset)).toBeLessThanOrEqual(61);
    expect(first.raw_body).toBe('');
    // The call's id goes upstream, to come back as the id of its usage event.
    expect(first.request_headers_to_add).toEqual([
      { key: 'x-metergate-request-id', value: expect.stringMatching(/.+/), raw_value: '' },
    ]);
    expect(envoyHeaders(first.response_headers_to_add)).toEqual({
      'RateLimit-Policy':
        '"generate-minute";q=60;w=60, "generate-day";q=50000;w=86400, "generate_chars";q=500000;qu="metergate-chars"',
      RateLimit: expect.stringMatching(
        /^"generate-minute";r=1;t=\d+, "generate-day";r=49941;t=\d+, "generate_chars";r=500000$/,
      ),
    });

    const last = await envoy.shouldRateLimit(generate());
    expect(last.overall_code).toBe('OK');
    expect(last.statuses[0]).toMatchObject({ code: 'OK', current_limit: minute, limit_remaining: 0 });

    const over = await envoy.shouldRateLimit(generate());
    expect(over.overall_code).toBe('OVER_LIMIT');
    expect(over.statuses).toEqual([
      {
        code: 'OVER_LIMIT',
        current_limit: minute,
        limit_remaining: 0,
        duration_until_reset: expect.any(String),
      },
    ]);
    const wait = seconds(over.statuses[0].duration_until_reset);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(61);
    expect(over.request_headers_to_add).toEqual([]);
    const headers = envoyHeaders(over.response_headers_to_add);
    expect(Object.keys(headers)).toEqual(['RateLimit-Policy', 'RateLimit', 'Retry-After']);
    expect(headers.RateLimit).toMatch(/^"generate-minute";r=0;t=\d+, "generate-day";r=49940;t=\d+, /);
    expect(headers['Retry-After']).toBe(String(wait));
  });

  it('judges each descriptor on its own, and counts those of a request together or not at all', async () => {
    const [a, b] = [org(), org()];
    const both = await envoy.shouldRateLimit(
      request([
        descriptor({ org_id: a, endpoint: 'generate' }),
        descriptor({ org_id: b, endpoint: 'embed' }, 3),
        descriptor({ remote_address: '10.0.0.1' }),
      ]),
    );
    expect(both.overall_code).toBe('OK');
    expect(both.statuses[0]).toMatchObject({
      code: 'OK',
      current_limit: { name: 'generate-minute', requests_per_unit: 60, unit: 'MINUTE' },
      limit_remaining: 59,
    });
    expect(both.statuses[1]).toMatchObject({
      code: 'OK',
      current_limit: { name: 'embed-minute', requests_per_unit: 500, unit: 'MINUTE' },
      limit_remaining: 497,
    });
    // A descriptor that is not Metergate's (another filter's rate limit action) is left alone.
    expect(both.statuses[2]).toEqual({ code: 'OK', limit_remaining: 0 });

    const denied = await envoy.shouldRateLimit(
      request([
        descriptor({ org_id: a, endpoint: 'generate' }),
        descriptor({ org_id: b, endpoint: 'generate', model: 'large' }),
      ]),
    );
    expect(denied.overall_code).toBe('OVER_LIMIT');
    expect(denied.statuses.map((s) => s.code)).toEqual(['OK', 'OVER_LIMIT']);
    // Envoy refused the call, so its allowed descriptor counted nothing either.
    const peek = await envoy.shouldRateLimit(request([descriptor({ org_id: a, endpoint: 'generate' }, 0)]));
    expect(peek.statuses[0].limit_remaining).toBe(59);
  });

  it('answers a descriptor it cannot read OVER_LIMIT rather than an error Envoy would let pass', async () => {
    const orgId = org();
    const response = await envoy.shouldRateLimit(
      request([
        descriptor({ org_id: orgId, endpoint: 'no-such-endpoint' }),
        descriptor({ org_id: 'not an org id', endpoint: 'embed' }),
        descriptor({ org_id: orgId, endpoint: 'embed' }),
      ]),
    );
    expect(response.overall_code).toBe('OVER_LIMIT');
    expect(response.statuses.map((s) => s.code)).toEqual(['OVER_LIMIT', 'OVER_LIMIT', 'OK']);
    expect(response.statuses[0]).toEqual({ code: 'OVER_LIMIT', limit_remaining: 0 });
    const peek = await envoy.shouldRateLimit(request([descriptor({ org_id: orgId, endpoint: 'embed' }, 0)]));
    expect(peek.statuses[0].limit_remaining).toBe(500);

    // Another domain is a misconfigured gateway, not a call to judge.
    expect(await envoy.send({ domain: 'other', descriptors: [] })).toEqual({
      status: { code: 'INVALID_ARGUMENT', description: expect.stringContaining('metergate') },
    });
  });

  it("takes a descriptor hits_addend of 0 as a peek that counts nothing, and an unset one as the request's", async () => {
    const orgId = org();
    const classify = (hits?: number) => descriptor({ org_id: orgId, endpoint: 'classify' }, hits);
    const remaining = async (descriptors: unknown[], hitsAddend?: number) => {
      const response = await envoy.shouldRateLimit(request(descriptors, hitsAddend));
      expect(response.overall_code).toBe('OK');
      return response.statuses[0].limit_remaining;
    };

    expect(await remaining([classify(0)])).toBe(500);
    expect(await remaining([classify(0)])).toBe(500);
    // The request's hits_addend of 0 is proto3's unset: one call, as Envoy counts it.
    expect(await remaining([classify()], 0)).toBe(499);
    expect(await remaining([classify()], 5)).toBe(494);
    expect(await remaining([classify(2)], 5)).toBe(492);
    expect(await remaining([classify(0)], 5)).toBe(492);

    expect(await remaining([classify(492)])).toBe(0);
    const full = await envoy.shouldRateLimit(request([classify(0)]));
    expect(full.overall_code).toBe('OVER_LIMIT');
    expect(full.statuses[0]).toMatchObject({ code: 'OVER_LIMIT', limit_remaining: 0 });
  });

  it('finds the organization by the api_key entry of a key issued to it', async () => {
    const orgId = org();
    const secret = formatApiKey('trial', randomBytes(24));
    const key = {
      keyId: `key_${randomBytes(4).toString('hex')}`,
      prefix: secret.slice(0, 16),
      purpose: 'trial' as const,
      digest: apiKeyDigest(secret),
    };
    await stack.publish(stack.topics.ACCESS_EVENTS_TOPIC, [
      accessEvent(orgId, 1, { tier: 'trial', status: 'active', limitOverrides: {}, apiKeys: [key] }),
    ]);
    const known = await eventually(
      async () => (await app.check({ apiKey: secret, endpoint: 'embed', hits: 0 })).body.allowed === true,
      5_000,
      20,
    );
    expect(known).toBe(true);

    const byKey = await envoy.shouldRateLimit(
      request([descriptor({ api_key: secret, endpoint: 'embed', user_id: 'u1' })]),
    );
    expect(byKey.overall_code).toBe('OK');
    expect(byKey.statuses[0]).toMatchObject({
      code: 'OK',
      current_limit: { name: 'embed-minute', requests_per_unit: 500 },
      limit_remaining: 499,
    });
    // Counted for the organization, whichever way the gateway names it.
    const byOrg = await envoy.shouldRateLimit(request([descriptor({ org_id: orgId, endpoint: 'embed' }, 0)]));
    expect(byOrg.statuses[0].limit_remaining).toBe(499);

    const unknown = await envoy.shouldRateLimit(
      request([descriptor({ api_key: formatApiKey('trial', randomBytes(24)), endpoint: 'embed' })]),
    );
    expect(unknown.overall_code).toBe('OVER_LIMIT');
    expect(unknown.statuses).toEqual([{ code: 'OVER_LIMIT', limit_remaining: 0 }]);
  });

  it.each([
    ['no authorization metadata', {}, 'UNAUTHENTICATED'],
    ['an unknown token', { authorization: 'Bearer not-a-token' }, 'UNAUTHENTICATED'],
    ["an analyst's token", { authorization: 'Bearer dev-analyst' }, 'PERMISSION_DENIED'],
  ])('refuses a call with %s', async (_case, metadata, code) => {
    const answer = await envoy.send(request([descriptor({ org_id: org(), endpoint: 'embed' })]), metadata);
    expect(answer).toMatchObject({ status: { code } });
  });
});
