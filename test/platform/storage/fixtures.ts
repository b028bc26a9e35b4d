import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Real (tiny) files: a 1×1 PNG, the head of a JPEG (JFIF), a one-page PDF header. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
export const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
  Buffer.alloc(64, 0x20),
  Buffer.from([0xff, 0xd9]),
]);
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

/** The key a test's storage seals its files with. */
export const FILE_KEY = Buffer.alloc(32, 7);

/** Every regular file under an upload root, its working folder included (none when the root was never made). */
export function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** An upload root in a fresh temporary folder, not made yet (the storage makes it as it needs it). */
export function tempUploadsRoot(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-uploads-')), 'uploads');
}

/** Every byte of a stream. */
export async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
