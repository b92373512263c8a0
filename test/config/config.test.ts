import { strict as assert } from 'node:assert';
import { InvalidConfiguration, loadConfig } from '../../src/config/config.js';

const SECRET = 'x'.repeat(32);

describe('configuration', () => {
  it('runs in memory with safe defaults when nothing is set', () => {
    const config = loadConfig({});
    assert.equal(config.REDIS_URL, undefined);
    assert.equal(config.REDIS_MODE, 'standalone');
    assert.equal(config.REDIS_KEY_PREFIX, 'complaints');
    assert.equal(config.CASE_SHARDS, 16);
    assert.equal(config.CONVERSATION_IDLE_HOURS, 24);
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ REDIS_URL: '', CASE_SECRET: ' ' }).REDIS_URL, undefined);
  });

  it('reads Redis settings, including TLS URLs and cluster nodes', () => {
    const config = loadConfig({ REDIS_URL: 'rediss://bot:pw@redis.example.org:6380/0', CASE_SECRET: SECRET, REDIS_MODE: 'cluster', REDIS_NODES: 'a.example.org:6379, b.example.org:6379' });
    assert.equal(config.REDIS_MODE, 'cluster');
    assert.deepEqual(config.REDIS_NODES, ['a.example.org:6379', 'b.example.org:6379']);
  });

  it('names every bad variable in one error', () => {
    assert.throws(() => loadConfig({ REDIS_URL: 'http://localhost', CASE_SHARDS: 'many', REDIS_KEY_PREFIX: 'bad{prefix}' }), (error: unknown) => {
      assert.ok(error instanceof InvalidConfiguration);
      assert.match(error.message, /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
      assert.match(error.message, /CASE_SHARDS/);
      assert.match(error.message, /REDIS_KEY_PREFIX/);
      return true;
    });
  });

  it('requires CASE_SECRET with Redis, and the sentinels and master name in sentinel mode', () => {
    assert.throws(() => loadConfig({ REDIS_URL: 'redis://localhost:6379' }), /CASE_SECRET: is required when REDIS_URL is set/);
    assert.throws(() => loadConfig({ REDIS_URL: 'redis://localhost:6379', CASE_SECRET: SECRET, REDIS_MODE: 'sentinel' }), /REDIS_SENTINEL_MASTER/);
    assert.throws(() => loadConfig({ REDIS_MODE: 'cluster' }), /REDIS_URL: is required when REDIS_MODE is cluster/);
    assert.throws(() => loadConfig({ REDIS_URL: 'redis://localhost:6379', CASE_SECRET: SECRET, REDIS_NODES: 'nohost' }), /"nohost" is not host:port/);
  });
});
