/**
 * Copies the non-TypeScript files the program reads at run time (Lua scripts, and the widget's
 * page, script and style sheet) from src/ into dist/src/, after tsc has compiled everything
 * else. Part of `npm run build`.
 */
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ASSET = /\.(lua|html|css|js)$/;

function copyAssets(from: string): number {
  let copied = 0;
  for (const entry of readdirSync(from)) {
    const path = join(from, entry);
    if (statSync(path).isDirectory()) copied += copyAssets(path);
    else if (ASSET.test(entry)) {
      cpSync(path, join(ROOT, 'dist', relative(ROOT, path)));
      copied += 1;
    }
  }
  return copied;
}

copyAssets(join(ROOT, 'src'));
