import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { partnerSign, signaturesEqual } from '../../src/core/signing.js';

/**
 * The loan marketplace on a local port: receives our callbacks, checks their signature with
 * the partner's signkey, and answers each with the next status queued in `answers` (1 when
 * none is).
 */
export class FakePlatform {
  received: Array<{ call: string; args: Record<string, unknown>; signed: boolean }> = [];
  answers: number[] = [];
  url = '';
  private readonly server: Server;

  constructor(signkey: string) {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        const form = Object.fromEntries(new URLSearchParams(raw));
        const signed = signaturesEqual(
          partnerSign(form.ua ?? '', signkey, form.call ?? '', form.args ?? ''),
          form.sign ?? '',
        );
        this.received.push({ call: form.call ?? '', args: JSON.parse(form.args ?? '{}'), signed });
        const status = this.answers.shift() ?? 1;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status, message: status === 1 ? 'success' : 'busy', response: null }));
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
  }

  close(): void {
    this.server.close();
  }
}
