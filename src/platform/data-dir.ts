import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.js';

/**
 * Creates FANGTONG_DATA_DIR itself when it is missing, but never its parents: a missing parent
 * is far likelier a mistyped path than a wish for a new tree, and a database or key written
 * into a surprise folder is data the operator will not find again.
 */
export function ensureDataDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && fs.statSync(dataDir).isDirectory()) return;
    if (code === 'EEXIST') throw new ConfigError(`FANGTONG_DATA_DIR ${dataDir} is a file, not a folder`);
    if (code === 'ENOENT') {
      throw new ConfigError(
        `FANGTONG_DATA_DIR ${dataDir} cannot be created: its parent folder ${path.dirname(dataDir)} does not exist`,
      );
    }
    throw new ConfigError(`FANGTONG_DATA_DIR ${dataDir} cannot be created (${code ?? String(error)})`);
  }
}
