/**
 * Secrets `npm start` keeps for local development, so that a person trying the bot with Redis
 * need not invent them and a restart keeps working: the case secret (without the same one,
 * every stored case is unreachable), the widget-token secret (without the same one, an open
 * chat cannot carry on) and the data keys (without them, nothing stored can be read). They live in a git-ignored file, made on the first start with random
 * values and readable by its owner only. Real deployments set both in their environment.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { propertyOf } from '../values/property-of.js';

/** The file: each secret kept, by variable name. */
const fileSchema = z.object({
  CASE_SECRET: z.string().min(32),
  DIRECT_LINE_TOKEN_SECRET: z.string().min(32),
  // Files made before data were encrypted at rest lack it: one is added on the next start.
  DATA_KEYS: z.string().min(32).optional(),
});

/** A DATA_KEYS value with one fresh key. */
function newDataKeys(): string {
  return `local:${randomBytes(32).toString('base64')}`;
}

/** A fresh value for each kept secret. */
function freshValues(): Required<z.output<typeof fileSchema>> {
  return { CASE_SECRET: randomBytes(32).toString('base64url'), DIRECT_LINE_TOKEN_SECRET: randomBytes(32).toString('base64url'), DATA_KEYS: newDataKeys() };
}

/** The secrets kept, by variable name. */
const LOCAL_SECRET_NAMES = fileSchema.keyof().options;

/** What an error says, for a message that names the file. */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the file gave. */
export interface LocalSecrets {
  readonly file: string;
  /** Whether this start made the file. */
  readonly created: boolean;
  /** The variables taken from it (those the environment did not set). */
  readonly supplied: readonly string[];
}

/** The local secrets file could not be read or made; the message says which and what to do. */
export class UnusableLocalSecrets extends Error {
  override readonly name = 'UnusableLocalSecrets';
}

function readOrCreate(file: string): { values: z.output<typeof fileSchema>; created: boolean } {
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (propertyOf(error, 'code') !== 'ENOENT') throw new UnusableLocalSecrets(`Cannot read ${file}: ${reasonOf(error)}`);
  }
  if (text === null) {
    const values = freshValues();
    try {
      // "wx": never overwrite one made a moment ago by another start.
      writeFileSync(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      return { values, created: true };
    } catch (error) {
      if (propertyOf(error, 'code') === 'EEXIST') return readOrCreate(file);
      throw new UnusableLocalSecrets(`Cannot write ${file}: ${reasonOf(error)}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const checked = fileSchema.safeParse(parsed);
  if (!checked.success) {
    throw new UnusableLocalSecrets(
      `${file} is not a usable secrets file (it needs CASE_SECRET and DIRECT_LINE_TOKEN_SECRET, each at least 32 characters). Delete it to make a new ` +
        `one; ` +
        `cases kept with its CASE_SECRET will then be unreachable.`,
    );
  }
  if (checked.data.DATA_KEYS !== undefined) return { values: checked.data, created: false };
  // Kept before data were encrypted at rest: add a key, keeping the rest as it was.
  const values = { ...checked.data, DATA_KEYS: newDataKeys() };
  try {
    writeFileSync(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    throw new UnusableLocalSecrets(`Cannot write ${file}: ${reasonOf(error)}`);
  }
  return { values, created: false };
}

/**
 * The environment with any kept secret it does not set filled in from `file` (made if absent).
 * When the environment sets them all, the file is neither read nor made.
 * @example withLocalSecrets({ REDIS_URL: 'redis://127.0.0.1:6379' }, '.local-secrets.json').env.CASE_SECRET // the same on every start
 */
export function withLocalSecrets(
  env: Readonly<Record<string, string | undefined>>,
  file: string,
): { env: Record<string, string | undefined>; secrets: LocalSecrets } {
  const supplied = LOCAL_SECRET_NAMES.filter((name) => (env[name] ?? '').trim() === '');
  // A start given every secret (a test, a script) has no use for the file, so it leaves none in the project's folder.
  if (supplied.length === 0) return { env: { ...env }, secrets: { file, created: false, supplied } };
  const { values, created } = readOrCreate(file);
  return {
    env: { ...env, ...Object.fromEntries(supplied.map((name) => [name, values[name]])) },
    secrets: { file, created, supplied },
  };
}
