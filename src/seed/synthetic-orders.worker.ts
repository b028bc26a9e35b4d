import { parentPort, workerData } from 'node:worker_threads';
import { createPii } from '../platform/pii.js';
import { SyntheticOrderGenerator } from './synthetic-order-generator.js';

export interface GeneratorSetup {
  masterKey: Uint8Array;
  seed: number;
  start: number;
  step: number;
}

export type GeneratorRequest =
  | { kind: 'agents'; createdAt: number }
  | { kind: 'batch'; count: number; agentIds: number[] };

export type GeneratorReply = { ok: true; result: unknown } | { ok: false; message: string };

// The bulk seeder's second core: makes and encrypts the orders while the main thread inserts.
const setup = workerData as GeneratorSetup;
const generator = new SyntheticOrderGenerator(
  createPii(Buffer.from(setup.masterKey)),
  setup.seed,
  setup.start,
  setup.step,
);
const port = parentPort!;
port.on('message', (request: GeneratorRequest) => {
  let reply: GeneratorReply;
  try {
    const result =
      request.kind === 'agents'
        ? generator.agents(request.createdAt)
        : generator.batch(request.count, request.agentIds);
    reply = { ok: true, result };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
