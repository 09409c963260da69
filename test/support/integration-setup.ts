import { join } from 'node:path';

// Booting and stopping apps against a real broker takes seconds (a consumer leaving its group waits for
// the batch in hand), well past Jest's default of 5.
jest.setTimeout(30_000);

// The apps' worker threads run from TypeScript sources here (see typescript-worker.js).
process.env.METERGATE_WORKER_SOURCE_LOADER = join(__dirname, 'typescript-worker.js');
