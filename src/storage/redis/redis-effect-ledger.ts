/** The effect ledger in Redis, beside each case in its shard (see claim-staff-effect-2.lua). */
import type { OutboxEvent } from '../../cases/outbox-event.js';
import type { EffectLedger, EventOfCase, StaffEffectClaim } from '../../ports/effect-ledger.js';
import { storageCall } from './connection.js';
import type { RedisKeys } from './keys.js';
import { CLAIM_STAFF_EFFECT } from './script-codes.js';
import { type RedisClient, runScript } from './scripts.js';

/** How long a record of a complainant effect is kept: far past the longest retry (24 hours). */
const DONE_KEPT_SECONDS = 30 * 86_400;

/** Effects done, in Redis. */
export class RedisEffectLedger implements EffectLedger {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async claimStaffEffect(event: OutboxEvent, token: string, leaseMs: number): Promise<StaffEffectClaim> {
    const reference = event.reference;
    const code = await storageCall('claim effect', () =>
      runScript(this.client, 'claimStaffEffect', [this.keys.staffEffects(reference), this.keys.effectsLease(reference)], [event.id, token, leaseMs]),
    );
    return code === CLAIM_STAFF_EFFECT.go ? 'go' : code === CLAIM_STAFF_EFFECT.done ? 'done' : 'wait';
  }

  async finishStaffEffect(event: OutboxEvent, token: string, done: boolean): Promise<void> {
    const reference = event.reference;
    await storageCall('finish effect', () =>
      runScript(this.client, 'finishStaffEffect', [this.keys.staffEffects(reference), this.keys.effectsLease(reference)], [event.id, token, done ? '1' : '0']),
    );
  }

  async isDone(event: EventOfCase, part: string): Promise<boolean> {
    const key = this.keys.effectsDone(event.reference);
    return (await storageCall('read effects', () => this.client.hexists(key, `${event.id}:${part}`))) === 1;
  }

  async markDone(event: EventOfCase, part: string, note: string): Promise<void> {
    const key = this.keys.effectsDone(event.reference);
    await storageCall('record effect', () => this.client.multi().hset(key, `${event.id}:${part}`, note).expire(key, DONE_KEPT_SECONDS).exec());
  }

  async noteOf(event: EventOfCase, part: string): Promise<string | null> {
    const key = this.keys.effectsDone(event.reference);
    return (await storageCall('read effects', () => this.client.hget(key, `${event.id}:${part}`))) ?? null;
  }

  async holdStatusLine(event: EventOfCase, token: string, ms: number): Promise<boolean> {
    const key = this.keys.statusLineHold(event.reference, event.id);
    return (await storageCall('hold status line', () => this.client.set(key, token, 'PX', ms, 'NX'))) === 'OK';
  }

  async releaseStatusLine(event: EventOfCase, token: string): Promise<void> {
    const key = this.keys.statusLineHold(event.reference, event.id);
    await storageCall('release status line', () => runScript(this.client, 'releaseHold', [key], [token]));
  }
}
