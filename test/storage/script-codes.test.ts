import { strict as assert } from 'node:assert';
import { SCRIPT_CODES } from '../../src/storage/redis/script-codes.js';
import { scriptFiles } from '../../src/storage/redis/scripts.js';

/** `tooLate` -> `TOO_LATE`. */
function luaName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
}

describe('the Lua scripts’ answers', () => {
  it('are named the same, with the same values, in every script and in script-codes.ts', () => {
    const files = scriptFiles();
    assert.deepEqual(files.map((file) => file.name).sort(), Object.keys(SCRIPT_CODES).sort(), 'every script has its codes listed, and only scripts do');
    for (const file of files) {
      const declared = Object.fromEntries([...file.lua.matchAll(/^local ([A-Z][A-Z_]*) = (-?\d+)$/gm)].map((match) => [match[1], Number(match[2])]));
      const expected = Object.fromEntries(Object.entries(SCRIPT_CODES[file.name]).map(([key, value]) => [luaName(key), value]));
      assert.deepEqual(declared, expected, file.name);
    }
  });

  it('answer with names, not bare numbers', () => {
    for (const file of scriptFiles().filter((script) => Object.keys(SCRIPT_CODES[script.name]).length > 0)) {
      // A code returned as a literal would slip past the check above.
      assert.doesNotMatch(file.lua, /return \{?-?\d+\s*[,}]|return -?\d+\s*$/m, file.name);
    }
  });
});
