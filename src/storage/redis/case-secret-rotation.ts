/**
 * Moves every case to a new CASE_SECRET: each case's second factors are hashed again from the
 * contact details it holds, under the new secret. A hash it cannot make again (an access code,
 * which only its owner knows) is kept, labelled with the old secret, and replaced the next time
 * its owner unlocks the case, so the bot keeps CASE_SECRET_PREVIOUS until then. Resumable: run
 * again after an interruption, it finishes what is left and changes nothing twice.
 */
import { SecondFactorHasher, secretKeyId, secretVerifier } from '../../cases/second-factor.js';
import type { DataKeyRing } from '../encryption/data-keys.js';
import type { ServerClock } from './connection.js';
import { StorageMisconfigured, storageCall } from './connection.js';
import type { RedisKeys } from './keys.js';
import { RedisCaseStore } from './redis-case-store.js';
import type { RedisClient } from './scripts.js';

/** What a rotation did. */
export interface RotationReport {
  readonly cases: number;
  /** Cases whose access-code hash stays under the old secret until their owner next looks them up. */
  readonly keptUnderPrevious: number;
}

/** Rotates the cases under `keys`' prefix from `previous` to `next`. */
export async function rotateCaseSecret(
  client: RedisClient,
  keys: RedisKeys,
  clock: ServerClock,
  secrets: { readonly previous: string; readonly next: string },
  dataKeys: DataKeyRing,
): Promise<RotationReport> {
  const recorded = await storageCall('rotate', () => client.hget(keys.meta(), 'caseSecret'));
  const [previous, next] = [secretVerifier(secrets.previous), secretVerifier(secrets.next)];
  // A rotation that finished, or was interrupted after the switch, may be run again to finish.
  if (recorded !== null && recorded !== previous && recorded !== next) {
    throw new StorageMisconfigured('CASE_SECRET_PREVIOUS is not the secret the cases under this key prefix were stored with, so nothing was changed.');
  }
  const store = new RedisCaseStore({
    client,
    keys,
    clock,
    hasher: new SecondFactorHasher(secrets.next, [secrets.previous]),
    guard: { maxFailuresPerReference: 1, maxFailuresPerRequester: 1, maxFailuresPerAddress: 1, lockoutMs: 1000 },
    dataKeys,
  });
  let cases = 0;
  let keptUnderPrevious = 0;
  for await (const reference of store.allReferences()) {
    const result = await store.rotateSecondFactors(reference, secretKeyId(secrets.previous));
    if (!result) continue;
    cases += 1;
    if (result.needsEarlierSecret) keptUnderPrevious += 1;
  }
  // Only now do starts with the new secret succeed: every case can be unlocked under it.
  await storageCall('rotate', () => client.hset(keys.meta(), 'caseSecret', next));
  return { cases, keptUnderPrevious };
}
