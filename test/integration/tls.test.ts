import { Metadata, ServiceError, credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { DECISION_PROTO, protoRoot } from '@metergate/contracts';
import { INestApplication } from '@nestjs/common';
import { bootstrapHttpApp, loadConfig, tlsFiles } from '@metergate/platform';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestConfig } from '../../apps/ingest/src/ingest.config';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { testEnv } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { uniqueName } from '../support/test-kafka';
import { DecisionApp, DecisionStack } from './decision-harness';

type Unary = (
  request: unknown,
  metadata: Metadata,
  callback: (error: ServiceError | null, response: unknown) => void,
) => void;
type Client = Record<string, Unary> & { close(): void };

/** A self-signed certificate for 127.0.0.1, made for this run. */
function certificate(): { certFile: string; keyFile: string; ca: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'metergate-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, ca: readFileSync(certFile) };
}

function httpsStatus(url: string, ca: Buffer, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, method }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS on the HTTP and gRPC listeners', () => {
  const tls = certificate();
  let db: TestDatabase;
  let ingest: INestApplication;
  let stack: DecisionStack;
  let decision: DecisionApp;

  beforeAll(async () => {
    db = await TestDatabase.create('tls');
    const config = loadConfig(
      IngestConfig,
      testEnv({
        DATABASE_URL: db.url,
        USAGE_TOPIC: uniqueName('usage.recorded.v1'),
        TLS_CERT_FILE: tls.certFile,
        TLS_KEY_FILE: tls.keyFile,
      }),
    );
    ingest = await bootstrapHttpApp(IngestModule.create(config), {
      name: 'ingest',
      port: 0,
      tls: tlsFiles(config),
    });
    stack = await DecisionStack.create();
    decision = await stack.boot({ TLS_CERT_FILE: tls.certFile, TLS_KEY_FILE: tls.keyFile });
  }, 60_000);

  afterAll(async () => {
    await ingest?.close();
    await stack?.close();
    await db?.drop();
  });

  it('serves HTTPS with the configured certificate, and not plain HTTP', async () => {
    const { port } = (ingest.getHttpServer() as Server).address() as AddressInfo;
    expect(await httpsStatus(`https://127.0.0.1:${port}/health`, tls.ca)).toBe(200);
    expect(await httpsStatus(`https://127.0.0.1:${port}/v1/usage`, tls.ca, 'POST')).toBe(401);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('serves gRPC over TLS, still asking for the token', async () => {
    const definition = loadSync(DECISION_PROTO, {
      includeDirs: [protoRoot()],
      keepCase: true,
      longs: Number,
      enums: String,
      defaults: true,
    });
    const Decisions = (
      loadPackageDefinition(definition) as unknown as {
        metergate: { decision: { v1: { DecisionService: new (address: string, creds: unknown) => Client } } };
      }
    ).metergate.decision.v1.DecisionService;
    const address = `127.0.0.1:${decision.grpcPort}`;
    const call = (client: Client, token: string | null) =>
      new Promise<unknown>((resolve, reject) => {
        const metadata = new Metadata();
        if (token) metadata.set('authorization', `Bearer ${token}`);
        client.Check({ org_id: 'tls-org', endpoint: 'embed' }, metadata, (error, response) =>
          error ? reject(error) : resolve(response),
        );
      });
    const secure = new Decisions(address, credentials.createSsl(tls.ca));
    const plain = new Decisions(address, credentials.createInsecure());
    try {
      await expect(call(secure, 'dev-service')).resolves.toMatchObject({ allowed: true });
      await expect(call(secure, null)).rejects.toMatchObject({ code: 16 });
      await expect(call(plain, 'dev-service')).rejects.toMatchObject({ code: 14 });
    } finally {
      secure.close();
      plain.close();
    }
  });
});
