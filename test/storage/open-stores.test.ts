import { strict as assert } from 'node:assert';
import { loadConfig } from '../../src/config/config.js';
import { StorageUnavailable } from '../../src/cases/errors.js';
import { NOTHING_IS_KEPT, openStores } from '../../src/storage/open-stores.js';
import { StorageMisconfigured } from '../../src/storage/redis/connection.js';
import { lodgeRequest } from '../helpers/cases.js';
import { freePort, productClient, removeKeys, testRedisUrl, uniquePrefix, TEST_DATA_KEYS } from '../helpers/redis.js';

describe('opening the stores', function () {
  this.timeout(20_000);

  it('says loudly that nothing is kept when there is no Redis, and still works', async () => {
    const warnings: string[] = [];
    const stores = await openStores(loadConfig({ LOCAL_DEVELOPMENT: 'true' }), (message) => warnings.push(message));
    assert.deepEqual(warnings, [NOTHING_IS_KEPT]);
    assert.match(warnings[0]!, /NOTHING IS KEPT/);
    assert.equal(stores.durable, false);
    assert.equal((await stores.cases.lodge(lodgeRequest())).created, true);
    await stores.close();
  });

  it('opens Redis quietly when REDIS_URL is set, and reports it ready', async () => {
    const warnings: string[] = [];
    const prefix = uniquePrefix('open');
    const stores = await openStores(
      loadConfig({ LOCAL_DEVELOPMENT: 'true', REDIS_URL: testRedisUrl(), CASE_SECRET: 's'.repeat(32), DATA_KEYS: TEST_DATA_KEYS, REDIS_KEY_PREFIX: prefix }),
      (message) => warnings.push(message),
    );
    try {
      assert.deepEqual(warnings, []);
      assert.equal(stores.durable, true);
      assert.equal(await stores.ready(), true);
      assert.equal((await stores.cases.lodge(lodgeRequest())).created, true);
    } finally {
      await stores.close();
      const client = await productClient();
      await removeKeys(client, prefix);
      await client.quit();
    }
  });

  it('refuses to start with a different shard count from the one the cases were stored with', async () => {
    const prefix = uniquePrefix('shards');
    const config = (shards: string) =>
      loadConfig({
        LOCAL_DEVELOPMENT: 'true',
        REDIS_URL: testRedisUrl(),
        CASE_SECRET: 's'.repeat(32),
        DATA_KEYS: TEST_DATA_KEYS,
        REDIS_KEY_PREFIX: prefix,
        CASE_SHARDS: shards,
      });
    try {
      const first = await openStores(config('16'), () => undefined);
      await first.close();
      await assert.rejects(
        openStores(config('8'), () => undefined),
        (error: unknown) => error instanceof StorageMisconfigured && /CASE_SHARDS=16/.test(error.message),
      );
      const again = await openStores(config('16'), () => undefined);
      await again.close();
    } finally {
      const client = await productClient();
      await removeKeys(client, prefix);
      await client.quit();
    }
  });

  it('fails within seconds with StorageUnavailable when Redis does not answer', async () => {
    const started = Date.now();
    await assert.rejects(
      openStores(
        loadConfig({
          LOCAL_DEVELOPMENT: 'true',
          REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
          CASE_SECRET: 's'.repeat(32),
          DATA_KEYS: TEST_DATA_KEYS,
          REDIS_COMMAND_TIMEOUT_MS: '500',
        }),
        () => undefined,
      ),
      StorageUnavailable,
    );
    assert.ok(Date.now() - started < 8000);
  });
});
