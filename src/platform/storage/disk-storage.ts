import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BatchedFile } from './batched-file.js';
import { detectFileKind, FILE_KINDS, type FileKind, SNIFF_BYTES } from './file-kind.js';
import {
  type PutOptions,
  type StoredUpload,
  UploadRefusedError,
  type UploadStorage,
} from './upload-storage.js';

const KEY = /^[0-9a-f]{32}$/;
const KEY_FOLDER = /^[0-9a-f]{2}$/;
/** Sealed bytes held before they go to disk in one write: a document up to 4 MB is written in one. */
const WRITE_BATCH = 4 * 1024 * 1024;
const DEFAULT_KINDS: readonly FileKind[] = Object.keys(FILE_KINDS) as FileKind[];

/** A sealed file starts so; a JPEG, PNG or PDF never does (their first bytes are FF D8, 89 50, 25 50). */
const SEALED = Buffer.from('FTE1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = SEALED.length + IV_BYTES;

/**
 * The local-disk storage: files under `root` (FANGTONG_DATA_DIR/uploads, outside any web root),
 * each named by a random key in a folder of its first two characters. A file is written straight
 * under its key and flushed to disk before `put` answers; nothing names a key before that (an
 * order records it only afterwards), and a file refused or broken off midway is removed before
 * the refusal goes back.
 *
 * The documents are personal data (licences, ID cards), so each is sealed with AES-256-GCM under
 * `key`: `FTE1`, a fresh 12-byte IV, the ciphertext, the 16-byte tag, its storage key as associated
 * data (a file moved under another key does not open). A file kept before sealing (no `FTE1`) is
 * read back as it was written.
 */
export function createDiskStorage(root: string, key: Buffer): UploadStorage {
  const fileOf = (key: string) => path.join(root, key.slice(0, 2), key);

  // The 256 key folders, each made once per process rather than asked for on every file; one that
  // could not be made is tried again by the next file, not refused until restart.
  const folders = new Map<string, Promise<unknown>>();
  const ensureFolder = (folder: string) => {
    let made = folders.get(folder);
    if (!made) {
      made = fs.promises.mkdir(folder, { recursive: true, mode: 0o700 });
      made.catch(() => folders.delete(folder));
      folders.set(folder, made);
    }
    return made;
  };

  return {
    async put(source: Readable | Buffer, options: PutOptions): Promise<StoredUpload> {
      const name = randomBytes(16).toString('hex');
      const file = fileOf(name);
      try {
        await ensureFolder(path.dirname(file));
      } catch (error) {
        // Nothing of the file was read: drop it, so a caller reading parts in turn gets the next one.
        if (!Buffer.isBuffer(source)) source.resume();
        throw error;
      }
      const { head, cipher } = sealer(key, name);
      const check = new ContentCheck(options.maxBytes, options.allowed ?? DEFAULT_KINDS);
      const out = new BatchedFile(file, WRITE_BATCH);
      let refusal: UploadRefusedError | undefined;
      let sealing = false;
      try {
        // Read by hand rather than piped: a refused file is still read to its end (and dropped),
        // so the request it arrives in goes on to its next part instead of stalling or breaking.
        for await (const chunk of Buffer.isBuffer(source) ? [source] : source) {
          if (refusal) continue;
          refusal = check.take(chunk as Buffer);
          if (refusal) continue;
          if (!sealing) {
            sealing = true;
            await out.write(head);
          }
          await out.write(cipher.update(chunk as Buffer));
        }
        refusal ??= check.verdict();
        if (refusal) throw refusal;
        await out.write(Buffer.concat([cipher.final(), cipher.getAuthTag()]));
        await out.end();
      } catch (error) {
        // A write that failed midway leaves the rest of the file unread: drop it too.
        if (!Buffer.isBuffer(source)) source.resume();
        // The caller must hear why the file was not kept (a refusal is no storage fault), even
        // when the disk will not let go of what was written.
        await out.discard().catch(() => {});
        throw error;
      }
      const kind = check.kind!;
      return { key: name, kind, contentType: FILE_KINDS[kind].contentType, size: check.size };
    },

    async get(name) {
      if (!KEY.test(name)) return undefined;
      let stored: Buffer;
      try {
        stored = await fs.promises.readFile(fileOf(name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const bytes = isSealed(stored) ? unseal(key, name, stored) : stored;
      return { stream: Readable.from([bytes]), size: bytes.length };
    },

    async seal(name) {
      if (!KEY.test(name)) return 'missing';
      const file = fileOf(name);
      let stored: Buffer;
      let owner: fs.Stats;
      try {
        [stored, owner] = await Promise.all([fs.promises.readFile(file), fs.promises.stat(file)]);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
        throw error;
      }
      if (isSealed(stored)) return 'already';
      const { head, cipher } = sealer(key, name);
      const sealed = Buffer.concat([head, cipher.update(stored), cipher.final(), cipher.getAuthTag()]);
      // Written beside it and renamed over it, so a reader meanwhile gets one or the other whole;
      // owned as the old one was, so the servers can still read it whoever runs this (as root).
      const tmp = `${file}.${randomBytes(8).toString('hex')}.part`;
      try {
        await fs.promises.writeFile(tmp, sealed, { flag: 'wx', mode: 0o600, flush: true });
        if (owner.uid !== process.getuid?.() || owner.gid !== process.getgid?.())
          await fs.promises.chown(tmp, owner.uid, owner.gid);
        await fs.promises.rename(tmp, file);
      } catch (error) {
        await fs.promises.rm(tmp, { force: true });
        throw error;
      }
      return 'sealed';
    },

    async delete(key) {
      if (!KEY.test(key)) return;
      await fs.promises.rm(fileOf(key), { force: true });
    },

    async *keysWrittenBefore(before) {
      let folders: string[];
      try {
        folders = await fs.promises.readdir(root);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const folder of folders.filter((name) => KEY_FOLDER.test(name)).sort()) {
        const names = await fs.promises.readdir(path.join(root, folder));
        const keys: string[] = [];
        for (const name of names) {
          if (!KEY.test(name) || !name.startsWith(folder)) continue;
          // A file removed meanwhile (its order failed, another server swept it) is simply not listed.
          const stat = await fs.promises.stat(fileOf(name)).catch(() => undefined);
          if (stat?.isFile() && stat.mtimeMs < before) keys.push(name);
        }
        if (keys.length > 0) yield keys;
      }
    },
  };
}

const isSealed = (stored: Buffer) => stored.subarray(0, SEALED.length).equals(SEALED);

/** A file's seal under `name`: the header to write first (`FTE1` and a fresh IV), then the cipher's output and tag. */
function sealer(key: Buffer, name: string) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES }).setAAD(
    Buffer.from(name),
  );
  return { head: Buffer.concat([SEALED, iv]), cipher };
}

/**
 * A sealed file's bytes, opened whole: GCM proves a file unaltered only at its end, and a file
 * streamed out as it is decrypted would have gone to the client before a changed byte was found.
 * Files are small (PARKING_UPLOAD_MAX_BYTES, 5 MB), so each is held in memory once while served.
 */
function unseal(key: Buffer, name: string, stored: Buffer): Buffer {
  if (stored.length < HEADER_BYTES + TAG_BYTES) throw new Error(`upload ${name}: sealed file cut short`);
  const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(SEALED.length, HEADER_BYTES), {
    authTagLength: TAG_BYTES,
  })
    .setAAD(Buffer.from(name))
    .setAuthTag(stored.subarray(stored.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(stored.subarray(HEADER_BYTES, stored.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new Error(
      `upload ${name}: does not open (altered, moved from another key, or sealed with another key)`,
    );
  }
}

/** Counts a file's bytes and recognises its kind from the first few. */
class ContentCheck {
  size = 0;
  kind: FileKind | undefined;
  private head = Buffer.alloc(0);

  constructor(
    private readonly maxBytes: number,
    private readonly allowed: readonly FileKind[],
  ) {}

  /** Takes the next chunk; a refusal as soon as the file is too long or its head is no allowed kind. */
  take(chunk: Buffer): UploadRefusedError | undefined {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      return new UploadRefusedError('too_large', `文件超过${formatBytes(this.maxBytes)}`);
    }
    if (!this.kind && this.head.length < SNIFF_BYTES) {
      this.head = Buffer.concat([this.head, chunk]).subarray(0, SNIFF_BYTES);
      if (this.head.length >= SNIFF_BYTES) {
        this.kind = detectFileKind(this.head, this.allowed);
        if (!this.kind) return badType();
      }
    }
    return undefined;
  }

  /** At the end: a file shorter than the longest magic number is judged on what there is. */
  verdict(): UploadRefusedError | undefined {
    if (this.size === 0) return new UploadRefusedError('empty', '文件为空');
    this.kind ??= detectFileKind(this.head, this.allowed);
    return this.kind ? undefined : badType();
  }
}

function badType(): UploadRefusedError {
  return new UploadRefusedError('bad_type', '文件类型不支持，只接受JPEG、PNG或PDF');
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024}KB`;
  return `${bytes}字节`;
}
