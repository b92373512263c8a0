/**
 * The Lua scripts in ./lua, registered on a client as commands. A file is named
 * `<name>-<numberOfKeys>.lua` and registered as the camel-cased name; ioredis sends EVALSHA and
 * falls back to EVAL once if the server has not seen the script.
 */
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
] as const;

/** A script's command name. */
export type ScriptName = (typeof SCRIPT_NAMES)[number];

function isScriptName(name: string): name is ScriptName {
  return SCRIPT_NAMES.some((known) => known === name);
}

interface ScriptFile {
  readonly name: ScriptName;
  readonly numberOfKeys: number;
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
      const match = /^([a-z-]+)-(\d+)\.lua$/.exec(file);
      if (!match?.[1] || !match[2]) throw new Error(`Lua file ${file} is not named <name>-<numberOfKeys>.lua`);
      const name = camelCase(match[1]);
      if (!isScriptName(name)) throw new Error(`Lua file ${file} is not one of the scripts this adapter knows (${SCRIPT_NAMES.join(', ')})`);
      return { name, numberOfKeys: Number(match[2]), lua: readFileSync(join(LUA_DIR, file), 'utf8') };
    });
  return cached;
}

/** Registers every script on a client. */
export function defineScripts(client: RedisClient): void {
  for (const script of scriptFiles()) {
    client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
}

/** Runs a registered script with its keys and arguments; what it answers is checked by the caller. */
export function runScript(client: RedisClient, name: ScriptName, keys: readonly string[], args: readonly (string | number | Buffer)[]): Promise<unknown> {
  // defineCommand adds the script as a method that ioredis's types cannot know of: look it up, and check it is there.
  const command: unknown = Reflect.get(client, name);
  if (typeof command !== 'function') throw new Error(`Redis script ${name} is not defined on this client; call defineScripts first`);
  const answer: unknown = Reflect.apply(command, client, [...keys, ...args]);
  return Promise.resolve(answer);
}
