import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export const MIB = 1024 * 1024;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A real PNG of exactly `size` bytes: a photo-like (incompressible) RGB image of random pixels,
 * deflated, topped up to the size by a tEXt comment chunk.
 */
export function pngOf(size: number): Buffer {
  const width = 512;
  const height = Math.floor((size - 4096) / (width * 3 + 1));
  const raw = Buffer.alloc(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    randomBytes(width * 3).copy(raw, row + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const parts = [signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw, { level: 1 }))];
  const end = pngChunk('IEND', Buffer.alloc(0));
  const used = parts.reduce((sum, b) => sum + b.length, 0) + end.length + 12;
  const key = Buffer.from('Comment\0', 'latin1');
  if (used + key.length > size) throw new Error(`a PNG of ${size} bytes is too small for its pixels`);
  const text = Buffer.concat([key, Buffer.alloc(size - used - key.length, 0x20)]);
  return Buffer.concat([...parts, pngChunk('tEXt', text), end]);
}

/**
 * A real baseline JPEG of exactly `size` bytes: an 8×8 grey picture (one DC-only block with
 * one-symbol Huffman tables) behind COM segments of random bytes that fill it up — what a
 * decoder reads as a valid JPEG, and on the wire as incompressible as a photo.
 */
export function jpegOf(size: number): Buffer {
  const segment = (marker: number, data: Buffer) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(data.length + 2, 2);
    return Buffer.concat([head, data]);
  };
  const oneSymbolTable = (classAndId: number) =>
    segment(0xc4, Buffer.from([classAndId, 1, ...Array<number>(15).fill(0), 0x00]));
  const soi = Buffer.from([0xff, 0xd8]);
  const app0 = segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  const image = Buffer.concat([
    segment(0xdb, Buffer.from([0x00, ...Array<number>(64).fill(1)])), // DQT: all ones
    segment(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0])), // SOF0: 8×8, one component
    oneSymbolTable(0x00), // DC: category 0 is code "0"
    oneSymbolTable(0x10), // AC: EOB is code "0"
    segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])), // SOS
    Buffer.from([0x3f]), // DC diff 0, EOB, padded with ones: a uniform grey block
    Buffer.from([0xff, 0xd9]), // EOI
  ]);
  const comments: Buffer[] = [];
  let left = size - soi.length - app0.length - image.length;
  while (left > 0) {
    // A COM segment is 4 bytes of marker and length, then at most 65,533 of its own.
    let take = Math.min(left, 65_537);
    if (left - take > 0 && left - take < 4) take = left - 4;
    comments.push(segment(0xfe, randomBytes(take - 4)));
    left -= take;
  }
  const jpeg = Buffer.concat([soi, app0, ...comments, image]);
  if (jpeg.length !== size) throw new Error(`JPEG of ${jpeg.length} bytes, wanted ${size}`);
  return jpeg;
}

/** A small but whole one-page PDF (catalog, page tree, page, cross-reference table). */
export function smallPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
  ];
  const content = `BT /F1 12 Tf 72 770 Td (Employment certificate - benchmark) Tj ET\n${'% filler\n'.repeat(100)}`;
  objects.push(`<< /Length ${content.length} >>\nstream\n${content}endstream`);
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export interface FilePart {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/**
 * A multipart/form-data body as the parking page sends call 6: the text fields, then one `files`
 * part per picture item in extra-info order. The files' parts (the bulk of the body) are built
 * once; `parts(fields)` is a request's own fields followed by them (sent without joining them).
 */
export function multipartOrder(files: readonly FilePart[]): {
  contentType: string;
  parts: (fields: Record<string, string>) => [Buffer, Buffer];
} {
  const boundary = `----fangtongbench${randomBytes(8).toString('hex')}`;
  const tail = Buffer.concat([
    ...files.flatMap((f) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.filename}"\r\nContent-Type: ${f.contentType}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  const parts = (fields: Record<string, string>): [Buffer, Buffer] => [
    Buffer.from(
      Object.entries(fields)
        .map(
          ([name, value]) =>
            `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        )
        .join(''),
    ),
    tail,
  ];
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    parts,
  };
}
