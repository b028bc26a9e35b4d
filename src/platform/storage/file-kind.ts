/**
 * What a file is, told by its first bytes (its "magic number"), never by its name or the
 * Content-Type a client declared: both are the client's word, the bytes are the file.
 */
export const FILE_KINDS = {
  jpeg: { contentType: 'image/jpeg', extension: 'jpg', magic: [Buffer.from([0xff, 0xd8, 0xff])] },
  png: {
    contentType: 'image/png',
    extension: 'png',
    magic: [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  },
  pdf: { contentType: 'application/pdf', extension: 'pdf', magic: [Buffer.from('%PDF-', 'latin1')] },
} as const;

export type FileKind = keyof typeof FILE_KINDS;

/** The most bytes any kind needs to be recognised. */
export const SNIFF_BYTES = 8;

/** The kind whose magic bytes `head` starts with, among `allowed`; undefined when none. */
export function detectFileKind(
  head: Buffer,
  allowed: readonly FileKind[] = Object.keys(FILE_KINDS) as FileKind[],
): FileKind | undefined {
  return allowed.find((kind) =>
    FILE_KINDS[kind].magic.some(
      (magic) => head.length >= magic.length && head.subarray(0, magic.length).equals(magic),
    ),
  );
}
