/**
 * Moves every case's data key to the first key in DATA_KEYS: each wrapped data key under an
 * older key-encryption key is unwrapped and wrapped again under the first, with a compare-and-set,
 * so it is safe while the bot runs (start the bot with the new key first in DATA_KEYS, the old
 * after it, then rotate) and resumable (run again, it does only what is left). Nothing sealed
 * with a data key changes: only the key's wrapping does. The older keys stay required at start:
 * conversation state, transcripts and concerns' words are sealed with keys derived from the key
 * that was first when they were written, and are not sealed again here, so no key is retired.
 */
import { DataKeyRing } from '../encryption/data-keys.js';
import { storageCall } from './connection.js';
import type { RedisKeys } from './keys.js';
import { RedisCaseStore } from './redis-case-store.js';
import { REWRAP_DATA_KEY } from './script-codes.js';
import { runScript, type RedisClient } from './scripts.js';

/** What a rotation did. */
export interface DataKeyRotationReport {
  /** Cases looked at. */
  readonly cases: number;
  /** Cases whose data key was wrapped again under the first key. */
  readonly rewrapped: number;
  /** Cases stored before records were sealed, with no data key yet: sealed at their next change. */
  readonly notYetSealed: number;
}

/** Rotates every case under `keys`' prefix to `ring`'s first key. */
export async function rotateDataKeys(client: RedisClient, keys: RedisKeys, store: RedisCaseStore, ring: DataKeyRing): Promise<DataKeyRotationReport> {
  const current = ring.current.id;
  let cases = 0;
  let rewrapped = 0;
  let notYetSealed = 0;
  for await (const reference of store.allReferences()) {
    cases += 1;
    for (;;) {
      const wrapped = await storageCall('rotate data keys', () => client.hget(keys.case(reference), 'dk'));
      if (wrapped === null) {
        notYetSealed += 1;
        break;
      }
      const id = DataKeyRing.keyIdOf(wrapped);
      if (id === current) break;
      const next = ring.wrap(ring.unwrap(wrapped, reference), reference);
      const answer = await storageCall('rotate data keys', () => runScript(client, 'rewrapDataKey', [keys.case(reference)], [wrapped, next]));
      if (answer === REWRAP_DATA_KEY.replaced) {
        rewrapped += 1;
        break;
      }
      // Changed since it was read (another rotation): read it again.
    }
  }
  return { cases, rewrapped, notYetSealed };
}
