import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { HEAP_GROWTH_FLAG } from '../../src/platform/heap-growth.js';

const node = promisify(execFile);

// v8.setFlagsFromString ignores a flag it does not know, so a Node whose V8 renamed this one
// would quietly lose the setting; on the command line the same flag is refused out loud.
describe('heap growth', () => {
  it("is a flag this Node's V8 knows", async () => {
    const { stdout } = await node(process.execPath, [`${HEAP_GROWTH_FLAG}=300`, '-p', '"started"']);
    assert.equal(stdout.trim(), 'started');
  });

  it('would be caught were it unknown', async () => {
    await assert.rejects(
      node(process.execPath, [`${HEAP_GROWTH_FLAG}-unknown=300`, '-p', '"started"']),
      /bad option/,
    );
  });
});
