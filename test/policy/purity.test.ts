import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const POLICY_DIR = join(__dirname, '..', '..', '..', 'src', 'policy');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the policy core stays pure', () => {
  const files = sourceFiles(POLICY_DIR);

  it('finds the policy sources', () => {
    assert.ok(files.length >= 10, `found only ${files.length} files`);
  });

  it('imports nothing but its own files, its JSON data and zod', () => {
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) {
        const specifier = match[1]!;
        assert.ok(specifier.startsWith('./') || specifier.startsWith('../') || specifier === 'zod', `${relative(POLICY_DIR, file)} imports ${specifier}`);
      }
      assert.doesNotMatch(source, /\brequire\(/, `${relative(POLICY_DIR, file)} calls require`);
    }
  });

  it('never reads the clock, the environment or a random source', () => {
    for (const file of files) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      assert.doesNotMatch(code, /Date\.now\(|new Date\(\)|performance\.now|process\.|Math\.random/, relative(POLICY_DIR, file));
    }
  });
});
