import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/config.js';
import { openStores } from '../../src/storage/open-stores.js';
import { lodgeRequest } from '../helpers/cases.js';
import { freePort, RedisServerProcess, TEST_DATA_KEYS } from '../helpers/redis.js';

describe('through Redis Sentinel', function () {
  this.timeout(30_000);
  let master: RedisServerProcess;
  let sentinel: ChildProcess;
  let sentinelPort: number;

  before(async () => {
    master = await RedisServerProcess.start();
    sentinelPort = await freePort();
    const file = join(master.dir, 'sentinel.conf');
    writeFileSync(
      file,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${master.dir}`,
        `sentinel monitor complaints 127.0.0.1 ${master.port} 1`,
        'sentinel down-after-milliseconds complaints 2000',
      ].join('\n'),
    );
    sentinel = spawn('redis-server', [file, '--sentinel'], { stdio: 'ignore' });
    const probe = new Redis({ port: sentinelPort, lazyConnect: true, retryStrategy: () => 100 });
    probe.on('error', () => undefined);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      try {
        if (probe.status !== 'ready') await probe.connect();
        const address = (await probe.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'complaints')) as string[] | null;
        if (address?.[1] === String(master.port)) break;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    probe.disconnect();
  });

  after(async () => {
    sentinel.kill('SIGKILL');
    await master.stop();
  });

  it('finds the master through the sentinel and stores cases there', async () => {
    const stores = await openStores(
      loadConfig({
        LOCAL_DEVELOPMENT: 'true',
        REDIS_URL: 'redis://127.0.0.1:1',
        REDIS_MODE: 'sentinel',
        REDIS_NODES: `127.0.0.1:${sentinelPort}`,
        REDIS_SENTINEL_MASTER: 'complaints',
        CASE_SECRET: 's'.repeat(32),
        DATA_KEYS: TEST_DATA_KEYS,
        REDIS_KEY_PREFIX: 'sentinel-test',
      }),
      () => undefined,
    );
    try {
      const { stored } = await stores.cases.lodge(lodgeRequest());
      const direct = new Redis({ port: master.port });
      assert.ok((await direct.keys('sentinel-test:*')).some((key) => key.endsWith(`:case:${stored.case.reference}`)));
      direct.disconnect();
    } finally {
      await stores.close();
    }
  });
});
