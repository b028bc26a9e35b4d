import type { Readable } from 'node:stream';
import type { FileKind } from './file-kind.js';

/** Why a file was not stored. */
export type UploadRefusal =
  /** Longer than the limit; nothing of it was kept. */
  | 'too_large'
  /** Its first bytes are none of the allowed kinds (whatever its name or declared type said). */
  | 'bad_type'
  /** No bytes at all. */
  | 'empty';

export class UploadRefusedError extends Error {
  override readonly name = 'UploadRefusedError';
  constructor(
    readonly reason: UploadRefusal,
    message: string,
  ) {
    super(message);
  }
}

export interface PutOptions {
  /** Longest file accepted, in bytes. */
  maxBytes: number;
  /** Kinds accepted, told by content; default JPEG, PNG and PDF. */
  allowed?: readonly FileKind[];
}

export interface StoredUpload {
  /** The random name the file is kept under (32 lowercase hex); the client's name is never used. */
  key: string;
  kind: FileKind;
  /** The content type its bytes show (not the one the client declared). */
  contentType: string;
  size: number;
}

/**
 * Where uploaded files live. `put` keeps a file only whole and only when its content is an
 * allowed kind within the size limit; otherwise it throws UploadRefusedError and keeps nothing.
 */
export interface UploadStorage {
  put(source: Readable | Buffer, options: PutOptions): Promise<StoredUpload>;
  /** The file's bytes as a stream, or undefined when no file has that key. */
  get(key: string): Promise<{ stream: Readable; size: number } | undefined>;
  /** Removes the file; a key already gone is no error. */
  delete(key: string): Promise<void>;
  /**
   * The keys of the files last written before `before` (epoch ms), a folder's worth at a time:
   * where a sweep looks for files no record names. A file still being written is newer.
   */
  keysWrittenBefore(before: number): AsyncIterable<string[]>;
  /**
   * Seals in place a file kept before the storage sealed what it keeps (see `fangtong parking
   * reseal`); a reader meanwhile gets the old file or the new one, whole.
   */
  seal(key: string): Promise<'sealed' | 'already' | 'missing'>;
}
