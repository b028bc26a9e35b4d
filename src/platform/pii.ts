import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.js';
import { ensureDataDir } from './data-dir.js';

export interface Pii {
  /** AES-256-GCM; a fresh IV per call, so equal values encrypt differently. */
  encrypt(plain: string): string;
  /** Throws `Error('pii: cannot decrypt')` on a tampered token, a wrong key or a malformed token. */
  decrypt(token: string): string;
  /** Deterministic keyed hash for exact-match lookups; `purpose` keeps domains apart. */
  blindIndex(plain: string, purpose: string): string;
  /** The AES-256 key uploaded files are sealed with at rest (derived, apart from the columns' key). */
  readonly fileKey: Buffer;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// The version prefix lets tokens name their key once keys rotate.
const TOKEN_PREFIX = 'v1.';
const INDEX_HEX_CHARS = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Random IVs drawn from a CSPRNG buffer refilled every 4096 IVs: one system call per refill
 * instead of one per encryption, which dominated bulk loads. Each IV is still 96 fresh random
 * bits, and a refill replaces the buffer rather than overwriting IVs already handed out.
 */
function ivSource(): () => Buffer {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + IV_BYTES > pool.length) {
      pool = randomBytes(IV_BYTES * 4096);
      offset = 0;
    }
    offset += IV_BYTES;
    return pool.subarray(offset - IV_BYTES, offset);
  };
}

export function createPii(masterKey: Buffer): Pii {
  if (masterKey.length !== KEY_BYTES) {
    throw new Error(`pii: master key must be ${KEY_BYTES} bytes, got ${masterKey.length}`);
  }
  // Separate subkeys so the encryption key never doubles as the HMAC key. The master key is already
  // uniformly random, so an empty salt loses nothing.
  const encKey = deriveKey(masterKey, 'fangtong pii enc v1');
  const indexKey = deriveKey(masterKey, 'fangtong pii index v1');
  const nextIv = ivSource();

  return {
    fileKey: deriveKey(masterKey, 'fangtong uploads v1'),

    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', encKey, iv, { authTagLength: TAG_BYTES });
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return TOKEN_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    },

    decrypt(token) {
      const body = token.startsWith(TOKEN_PREFIX) ? token.slice(TOKEN_PREFIX.length) : '';
      // Buffer.from silently skips invalid base64 characters, so check the alphabet first.
      if (!BASE64URL.test(body)) throw cannotDecrypt();
      const raw = Buffer.from(body, 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw cannotDecrypt();
      try {
        // Pinning authTagLength stops a truncated tag from weakening the check.
        const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, IV_BYTES), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
        return plain.toString('utf8');
      } catch {
        throw cannotDecrypt();
      }
    },

    blindIndex(plain, purpose) {
      // NUL separates purpose from value; allowing it inside purpose would let two domains collide.
      if (purpose.includes('\u0000')) throw new Error('pii: purpose must not contain NUL');
      return createHmac('sha256', indexKey)
        .update(`${purpose}\u0000${plain}`, 'utf8')
        .digest('hex')
        .slice(0, INDEX_HEX_CHARS);
    },
  };
}

function deriveKey(masterKey: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, KEY_BYTES));
}

function cannotDecrypt(): Error {
  return new Error('pii: cannot decrypt');
}

/**
 * The configured key wins; otherwise a key file in `dataDir` is used, generated on first use
 * unless `create` is false.
 * The key file is a development convenience only: losing it makes all stored personal data unreadable.
 * A key that is there but unusable is refused, never replaced: data may already be sealed with it.
 */
export function loadPiiKey(
  configured: string | undefined,
  dataDir: string,
  options: { create?: boolean } = {},
): Buffer {
  if (configured !== undefined) return decodeKey(configured.trim(), 'FANGTONG_PII_KEY');

  const keyPath = path.join(dataDir, 'pii.key');
  const existing = readKeyFile(keyPath);
  if (existing) return existing;
  // A command that rewrites what is stored must use the servers' key, never one made up for it.
  if (options.create === false)
    throw new ConfigError(
      "no PII key: set FANGTONG_PII_KEY, or FANGTONG_DATA_DIR to the folder that holds the servers' pii.key",
    );

  ensureDataDir(dataDir);
  const key = randomBytes(KEY_BYTES);
  try {
    // Exclusive create: if another process won the race, its key must be used, never overwritten.
    fs.writeFileSync(keyPath, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') throw new ConfigError(`the PII key file ${keyPath} cannot be written (${code})`);
  }
  const winner = readKeyFile(keyPath);
  if (!winner) throw new ConfigError(`the PII key file ${keyPath} vanished while being created`);
  return winner;
}

function readKeyFile(keyPath: string): Buffer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(keyPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new ConfigError(`the PII key file ${keyPath} cannot be read (${code})`);
  }
  return decodeKey(text.trim(), `the PII key file ${keyPath}`);
}

function decodeKey(text: string, source: string): Buffer {
  // 64 hex characters are also valid base64, so hex has to be recognised first. Buffer.from
  // skips characters outside the base64 alphabet, so a typo must be caught before it yields
  // another key.
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : /^[A-Za-z0-9+/_-]*={0,2}$/.test(text)
      ? Buffer.from(text, 'base64')
      : undefined;
  if (key?.length !== KEY_BYTES) {
    const found = key ? `it holds ${key.length} bytes` : 'it is neither hex nor base64';
    throw new ConfigError(`${source} must be ${KEY_BYTES} bytes, as 64 hex characters or base64 (${found})`);
  }
  return key;
}
