/**
 * The Lua scripts in ./lua, registered on a client as commands. A file is named
 * `<name>-<numberOfKeys>.lua`, or `<name>-n.lua` for one whose keys vary in number (the caller's
 * keys are counted for it), and registered as the camel-cased name; ioredis sends EVALSHA and
 * falls back to EVAL once if the server has not seen the script.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';

/** A client of either kind: one server (or Sentinel-managed) or a Cluster. */
export type RedisClient = Redis | Cluster;

/** The scripts this adapter uses, by command name. */
const SCRIPT_NAMES = [
  'lodgeCase',
  'updateCase',
  'reserveAttempt',
  'releaseAttempt',
  'replaceSecondFactors',
  'writeStateIfUnchanged',
  'writeStateBefore',
  'appendActivity',
  'claimUnhandled',
  'ackOutbox',
  'claimStaffEffect',
  'finishStaffEffect',
  'releaseHold',
  'rescheduleCase',
  'rewrapDataKey',
  'eraseCase',
  'reindexCase',
  'queueSlice',
  'caseFacts',
] as const;

/** A script's command name. */
export type ScriptName = (typeof SCRIPT_NAMES)[number];

function isScriptName(name: string): name is ScriptName {
  return SCRIPT_NAMES.some((known) => known === name);
}

interface ScriptFile {
  readonly name: ScriptName;
  /** Null for a script whose keys vary in number. */
  readonly numberOfKeys: number | null;
  readonly lua: string;
}

const LUA_DIR = join(__dirname, 'lua');

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

let cached: readonly ScriptFile[] | undefined;

/** The script files, read once. */
export function scriptFiles(): readonly ScriptFile[] {
  cached ??= readdirSync(LUA_DIR)
    .filter((file) => file.endsWith('.lua'))
    .map((file) => {
      const match = /^([a-z-]+)-(\d+|n)\.lua$/.exec(file);
      if (!match?.[1] || !match[2]) throw new Error(`Lua file ${file} is not named <name>-<numberOfKeys>.lua or <name>-n.lua`);
      const name = camelCase(match[1]);
      if (!isScriptName(name)) throw new Error(`Lua file ${file} is not one of the scripts this adapter knows (${SCRIPT_NAMES.join(', ')})`);
      return { name, numberOfKeys: match[2] === 'n' ? null : Number(match[2]), lua: readFileSync(join(LUA_DIR, file), 'utf8') };
    });
  return cached;
}

/** Registers every script on a client. */
export function defineScripts(client: RedisClient): void {
  for (const script of scriptFiles()) {
    // One whose keys vary is not defined: see runVariadic.
    if (script.numberOfKeys !== null) client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
}

const shas = new Map<ScriptName, string>();

/**
 * A script whose keys vary in number, sent as EVALSHA with its key count (ioredis finds the
 * Cluster slot of an EVALSHA from its first key), and as EVAL once if the server has not seen it.
 * Not a defined command: ioredis's automatic pipelines know only the commands defined when each
 * began, so a command defined per number of keys, as needed, could miss one.
 */
async function runVariadic(client: RedisClient, script: ScriptFile, keys: readonly string[], args: readonly (string | number | Buffer)[]): Promise<unknown> {
  let sha = shas.get(script.name);
  if (!sha) {
    sha = createHash('sha1').update(script.lua).digest('hex');
    shas.set(script.name, sha);
  }
  try {
    return await client.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(script.lua, keys.length, ...keys, ...args);
  }
}

/** Runs a registered script with its keys and arguments; what it answers is checked by the caller. */
export function runScript(client: RedisClient, name: ScriptName, keys: readonly string[], args: readonly (string | number | Buffer)[]): Promise<unknown> {
  const script = scriptFiles().find((file) => file.name === name);
  if (script?.numberOfKeys === null) return runVariadic(client, script, keys, args);
  // defineCommand adds the script as a method that ioredis's types cannot know of: look it up, and check it is there.
  const command: unknown = Reflect.get(client, name);
  if (typeof command !== 'function') throw new Error(`Redis script ${name} is not defined on this client; call defineScripts first`);
  const answer: unknown = Reflect.apply(command, client, [...keys, ...args]);
  return Promise.resolve(answer);
}
