import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config.js';
import { createPii, loadPiiKey } from '../../src/platform/pii.js';

const KEY = Buffer.alloc(32, 7);
const ID = '11010519491231002X';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-pii-'));
}

test('round trips ASCII, Chinese and empty values', () => {
  const pii = createPii(KEY);
  for (const plain of [ID, '13800138000', '张三 北京市朝阳区', '']) {
    assert.equal(pii.decrypt(pii.encrypt(plain)), plain);
  }
});

test('tokens are versioned, randomised and do not contain the plaintext', () => {
  const pii = createPii(KEY);
  const a = pii.encrypt(ID);
  const b = pii.encrypt(ID);
  assert.notEqual(a, b);
  assert.match(a, /^v1\.[A-Za-z0-9_-]+$/);
  assert.ok(!a.includes(ID));
  assert.ok(!a.includes('13800138000'));
});

test('a tampered token cannot be decrypted', () => {
  const pii = createPii(KEY);
  const raw = Buffer.from(pii.encrypt(ID).slice(3), 'base64url');
  for (const index of [0, 12, raw.length - 1]) {
    const tampered = Buffer.from(raw);
    tampered[index] = (tampered[index] ?? 0) ^ 1;
    assert.throws(() => pii.decrypt(`v1.${tampered.toString('base64url')}`), {
      message: 'pii: cannot decrypt',
    });
  }
});

test('a token from another key cannot be decrypted', () => {
  const token = createPii(KEY).encrypt(ID);
  assert.throws(() => createPii(Buffer.alloc(32, 8)).decrypt(token), { message: 'pii: cannot decrypt' });
});

test('malformed tokens cannot be decrypted', () => {
  const pii = createPii(KEY);
  const token = pii.encrypt(ID);
  for (const bad of [
    '',
    'v1.',
    `v2.${token.slice(3)}`,
    token.slice(3),
    'v1.AAAA',
    `${token}!`,
    token.slice(0, 30),
  ]) {
    assert.throws(() => pii.decrypt(bad), { message: 'pii: cannot decrypt' }, bad);
  }
});

test('blind index is deterministic and separated by purpose and key', () => {
  const pii = createPii(KEY);
  const index = pii.blindIndex('13800138000', 'mobile');
  assert.match(index, /^[0-9a-f]{32}$/);
  assert.equal(pii.blindIndex('13800138000', 'mobile'), index);
  assert.equal(createPii(Buffer.from(KEY)).blindIndex('13800138000', 'mobile'), index);
  assert.notEqual(pii.blindIndex('13800138000', 'md5_mobile_id'), index);
  assert.notEqual(pii.blindIndex('13800138001', 'mobile'), index);
  assert.notEqual(createPii(Buffer.alloc(32, 8)).blindIndex('13800138000', 'mobile'), index);
  assert.throws(() => pii.blindIndex('x', 'mobile\u0000id_card'));
});

test('the master key must be 32 bytes', () => {
  assert.throws(() => createPii(Buffer.alloc(31)), /32 bytes/);
  assert.throws(() => createPii(Buffer.alloc(33)), /32 bytes/);
});

test('loadPiiKey creates the data folder and key file once and reuses it', () => {
  const dataDir = path.join(tempDir(), 'data');
  const first = loadPiiKey(undefined, dataDir);
  assert.equal(first.length, 32);
  const keyPath = path.join(dataDir, 'pii.key');
  assert.equal(fs.statSync(keyPath).mode & 0o777, 0o600);
  assert.deepEqual(Buffer.from(fs.readFileSync(keyPath, 'utf8').trim(), 'base64'), first);
  assert.deepEqual(loadPiiKey(undefined, dataDir), first);
});

test('a data folder whose parent is missing is refused, not created with it', () => {
  const parent = path.join(tempDir(), 'typo');
  assert.throws(
    () => loadPiiKey(undefined, path.join(parent, 'data')),
    (error: Error) =>
      error instanceof ConfigError &&
      error.message ===
        `FANGTONG_DATA_DIR ${path.join(parent, 'data')} cannot be created: its parent folder ${parent} does not exist`,
  );
  assert.equal(fs.existsSync(parent), false);
});

test('a corrupt key file is refused rather than replaced', () => {
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'pii.key'), 'c2hvcnQ=\n');
  assert.throws(
    () => loadPiiKey(undefined, dataDir),
    new ConfigError(
      `the PII key file ${path.join(dataDir, 'pii.key')} must be 32 bytes, as 64 hex characters or base64 (it holds 5 bytes)`,
    ),
  );
  assert.equal(fs.readFileSync(path.join(dataDir, 'pii.key'), 'utf8'), 'c2hvcnQ=\n');
});

test('a configured key is accepted as hex or base64 and no file is written', () => {
  const dataDir = tempDir();
  const key = randomBytes(32);
  assert.deepEqual(loadPiiKey(key.toString('hex'), dataDir), key);
  assert.deepEqual(loadPiiKey(key.toString('hex').toUpperCase(), dataDir), key);
  assert.deepEqual(loadPiiKey(key.toString('base64'), dataDir), key);
  assert.deepEqual(loadPiiKey(key.toString('base64url'), dataDir), key);
  assert.equal(fs.existsSync(path.join(dataDir, 'pii.key')), false);
});

test('a configured key of the wrong length or alphabet throws', () => {
  const dataDir = tempDir();
  assert.throws(() => loadPiiKey(randomBytes(16).toString('hex'), dataDir), /32 bytes/);
  assert.throws(() => loadPiiKey(randomBytes(31).toString('base64'), dataDir), /32 bytes/);
  assert.throws(
    () => loadPiiKey(`${randomBytes(32).toString('base64')}!`, dataDir),
    new ConfigError(
      'FANGTONG_PII_KEY must be 32 bytes, as 64 hex characters or base64 (it is neither hex nor base64)',
    ),
  );
  assert.throws(() => loadPiiKey('', dataDir), /32 bytes/);
});
