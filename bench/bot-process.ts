/**
 * The parent's handle on a bot running in its own process (see bot-process-main.ts): start it,
 * ask for its CPU, memory and Redis counts, and stop it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onExit } from './processes.js';

/**
 * The node options `npm start` runs the bot with (package.json says them once), so that both
 * bots run as the product does: the echo baseline gets them too, so neither is favoured.
 */
export function startNodeFlags(packageJson = join(__dirname, '..', '..', 'package.json')): string[] {
  const start = (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts?: { start?: string } }).scripts?.start ?? '';
  const flags = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/src\/main\.js\b/.exec(start);
  if (!flags) throw new Error('package.json\'s start script does not run "node … dist/src/main.js"');
  return (flags[1] ?? '')
    .trim()
    .split(/\s+/)
    .filter((flag) => flag !== '');
}

/** The DATA_KEYS every process of a run shares, from its case secret (a benchmark's data are thrown away). */
export function benchDataKeys(caseSecret: string): string {
  return `bench:${Buffer.from(caseSecret.padEnd(32, '.').slice(0, 32)).toString('base64')}`;
}

/** Which bot, and where its state goes. */
export interface BotProcessSettings {
  readonly mode: 'product' | 'echo';
  readonly redisUrl: string;
  readonly prefix: string;
  readonly caseSecret: string;
  /**
   * False: the product neither relays nor delivers (EFFECT_WORKERS=false), so only its turns use
   * Redis; a delivery instance (another product process with workers) does that, if one runs.
   */
  readonly effectWorkers?: boolean;
  /** A delivery instance, as `--workers` runs one: it gives way to turns (DELIVERY_NICE, default 19). */
  readonly delivery?: boolean;
  /** More options for node (say, `--cpu-prof` to see where a turn's time goes). */
  readonly nodeArgs?: readonly string[];
}

/** Redis commands and sequential round trips a process's clients made. */
export interface RedisClientCounts {
  commands: number;
  roundTrips: number;
  byName: Record<string, number>;
}

/** What the bot process has used so far. */
export interface Usage {
  /** User and system CPU time, microseconds. */
  readonly cpuMicros: number;
  readonly heapUsed: number;
  /** The part of heapUsed holding compiled code. */
  readonly heapCodeUsed: number;
  readonly rss: number;
  readonly external: number;
  readonly redis: RedisClientCounts;
}

/** Messages to the bot process. */
export interface ParentMessage {
  readonly id: number;
  readonly kind: 'usage' | 'gc' | 'count-redis' | 'idle' | 'stop';
}

/** Messages from the bot process. */
export type ChildMessage =
  | { readonly kind: 'ready'; readonly port: number }
  | { readonly kind: 'answer'; readonly id: number; readonly usage: Usage; readonly idle?: boolean }
  | { readonly kind: 'failed'; readonly id: number | null; readonly message: string };

/** A bot running in a child process. */
export class BotProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(answer: { usage: Usage; idle?: boolean }): void; reject(error: Error): void }>();
  private constructor(
    private readonly child: ChildProcess,
    private readonly forget: () => void,
    /** The last of what the process wrote to stderr, to explain a failure. */
    private readonly stderr: { text: string },
    readonly url: string,
  ) {}

  /** Starts the bot and waits until it listens. */
  static async start(settings: BotProcessSettings): Promise<BotProcess> {
    const child = fork(join(__dirname, 'bot-process-main.js'), [JSON.stringify(settings)], {
      execArgv: ['--expose-gc', '--enable-source-maps', ...startNodeFlags(), ...(settings.nodeArgs ?? [])],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const forget = onExit(() => {
      child.kill('SIGKILL');
    });
    const stderr = { text: '' };
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.text = (stderr.text + chunk.toString('utf8')).slice(-4000);
    });
    const port = await new Promise<number>((resolve, reject) => {
      const onMessage = (message: ChildMessage): void => {
        if (message.kind === 'ready') resolve(message.port);
        if (message.kind === 'failed') reject(new Error(`The ${settings.mode} bot did not start: ${message.message}`));
      };
      child.on('message', onMessage);
      child.once('exit', (code) => {
        reject(new Error(`The ${settings.mode} bot exited (${String(code)}) before it was ready: ${stderr.text}`));
      });
    }).catch((error: unknown) => {
      forget();
      child.kill('SIGKILL');
      throw error;
    });
    const bot = new BotProcess(child, forget, stderr, `http://127.0.0.1:${String(port)}`);
    child.on('message', (message: ChildMessage) => {
      bot.answer(message);
    });
    child.on('exit', (code) => {
      for (const pending of bot.waiting.values()) pending.reject(new Error(`The bot process exited (${String(code)}): ${bot.stderr.text}`));
      bot.waiting.clear();
    });
    return bot;
  }

  private answer(message: ChildMessage): void {
    if (message.kind === 'ready' || message.id === null) return;
    const pending = this.waiting.get(message.id);
    this.waiting.delete(message.id);
    if (message.kind === 'answer') pending?.resolve(message.idle === undefined ? { usage: message.usage } : { usage: message.usage, idle: message.idle });
    else pending?.reject(new Error(message.message));
  }

  private async ask(kind: ParentMessage['kind']): Promise<Usage> {
    return (await this.question(kind)).usage;
  }

  private question(kind: ParentMessage['kind']): Promise<{ usage: Usage; idle?: boolean }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ id, kind } satisfies ParentMessage);
    });
  }

  /** CPU, memory and Redis counts so far. */
  usage(): Promise<Usage> {
    return this.ask('usage');
  }

  /** The same, after collecting all garbage. */
  collected(): Promise<Usage> {
    return this.ask('gc');
  }

  /** Whether a product process's outbox and queues have nothing left to deliver (always true for a process that delivers nothing). */
  async idle(): Promise<boolean> {
    return (await this.question('idle')).idle ?? true;
  }

  /** Starts counting Redis commands and round trips (a little work per command, so not under timed load). */
  countRedis(): Promise<Usage> {
    return this.ask('count-redis');
  }

  /** Stops the server, closes its storage, and waits for the process to end. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else
        this.child.once('exit', () => {
          resolve();
        });
    });
    // A bot that does not stop within 15 seconds is killed.
    const timer = setTimeout(() => {
      this.child.kill('SIGKILL');
    }, 15_000);
    try {
      await this.ask('stop');
    } catch {
      // Ended already, or failed to stop cleanly: it is killed if need be.
    }
    await exited;
    clearTimeout(timer);
    this.forget();
  }
}
