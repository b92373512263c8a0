import { strict as assert } from 'node:assert';
import { countsWithin, Metrics } from '../../src/metrics/metrics.js';
import type { EffectCounts } from '../../src/outbox/effect-runner.js';
import { sample } from '../helpers/metrics.js';

const NOW = new Date('2026-12-03T10:00:00Z');

function counts(staff: Partial<EffectCounts['staff']> = {}): EffectCounts {
  const none = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
  return { staff: { ...none, ...staff }, complainant: none };
}

async function text(metrics: Metrics): Promise<string> {
  return (await metrics.render()).body;
}

/** A turn on a channel, as the adapters hand one to the bot. */
function turnOn(channelId: string): { activity: { channelId: string } } {
  return { activity: { channelId } };
}

describe('the metrics', () => {
  it('render in Prometheus text format, with the process’s own metrics beside the bot’s', async () => {
    const metrics = new Metrics();
    const { contentType, body } = await metrics.render();
    assert.match(contentType, /^text\/plain; version=0\.0\.4/);
    for (const type of [
      '# TYPE complaints_turns_total counter',
      '# TYPE complaints_turn_errors_total counter',
      '# TYPE complaints_jobs_failed_total counter',
      '# TYPE complaints_jobs_retried_total counter',
      '# TYPE complaints_delivery_seconds histogram',
      '# TYPE complaints_queue_jobs gauge',
    ]) {
      assert.ok(body.includes(type), type);
    }
    assert.ok((sample(body, 'process_cpu_user_seconds_total') ?? -1) >= 0);
    assert.ok((sample(body, 'nodejs_heap_size_used_bytes') ?? 0) > 0);
  });

  it('count turns and the turns that fail, by channel, and a failing turn still fails for the adapter to apologise', async () => {
    const metrics = new Metrics();
    const broken = new Error('the dialog threw');
    const bot = metrics.counted(async (context: { activity: { channelId: string } }) => {
      if (context.activity.channelId === 'msteams') throw broken;
      await Promise.resolve();
    });
    await bot(turnOn('directline'));
    await bot(turnOn('directline'));
    await assert.rejects(bot(turnOn('msteams')), (error) => error === broken);
    const body = await text(metrics);
    assert.equal(sample(body, 'complaints_turns_total{channel="directline"}'), 2);
    assert.equal(sample(body, 'complaints_turns_total{channel="msteams"}'), 1);
    assert.equal(sample(body, 'complaints_turn_errors_total{channel="msteams"}'), 1);
    assert.equal(sample(body, 'complaints_turn_errors_total{channel="directline"}'), undefined);
  });

  it('count a channel id that is not one, and every channel past the first sixteen, as "other"', async () => {
    const metrics = new Metrics();
    metrics.turn('Robert"); DROP');
    for (let index = 0; index < 20; index += 1) metrics.turn(`channel-${String(index)}`);
    const body = await text(metrics);
    assert.equal(sample(body, 'complaints_turns_total{channel="channel-0"}'), 1);
    assert.equal(sample(body, 'complaints_turns_total{channel="channel-15"}'), 1);
    assert.equal(sample(body, 'complaints_turns_total{channel="channel-16"}'), undefined);
    assert.equal(sample(body, 'complaints_turns_total{channel="other"}'), 5);
  });

  it('count jobs that failed for good apart from attempts that will be tried again', async () => {
    const metrics = new Metrics();
    metrics.jobFailed('staff', false);
    metrics.jobFailed('staff', false);
    metrics.jobFailed('staff', true);
    metrics.jobFailed('complainant', false);
    const body = await text(metrics);
    assert.equal(sample(body, 'complaints_jobs_retried_total{queue="staff"}'), 2);
    assert.equal(sample(body, 'complaints_jobs_failed_total{queue="staff"}'), 1);
    assert.equal(sample(body, 'complaints_jobs_retried_total{queue="complainant"}'), 1);
    assert.equal(sample(body, 'complaints_jobs_failed_total{queue="complainant"}'), undefined);
  });

  it('observe how long after the change was saved each channel delivered it', async () => {
    const metrics = new Metrics();
    metrics.delivered('email', new Date(NOW.getTime() - 90_000).toISOString(), NOW);
    metrics.delivered('teams', new Date(NOW.getTime() - 2 * 86_400_000).toISOString(), NOW);
    // Another instance's clock a little ahead: never a negative time.
    metrics.delivered('chat', new Date(NOW.getTime() + 500).toISOString(), NOW);
    const body = await text(metrics);
    assert.equal(sample(body, 'complaints_delivery_seconds_count{channel="email"}'), 1);
    assert.equal(sample(body, 'complaints_delivery_seconds_sum{channel="email"}'), 90);
    assert.equal(sample(body, 'complaints_delivery_seconds_bucket{le="60",channel="email"}'), 0);
    assert.equal(sample(body, 'complaints_delivery_seconds_bucket{le="300",channel="email"}'), 1);
    assert.equal(sample(body, 'complaints_delivery_seconds_bucket{le="86400",channel="teams"}'), 0, 'two days is past the last bucket, a day');
    assert.equal(sample(body, 'complaints_delivery_seconds_bucket{le="+Inf",channel="teams"}'), 1);
    assert.equal(sample(body, 'complaints_delivery_seconds_bucket{le="0.1",channel="chat"}'), 1);
    assert.equal(sample(body, 'complaints_delivery_seconds_count{channel="sms"}'), undefined);
  });

  it('read the queues’ depths at each scrape, and leave them out when they cannot be read', async () => {
    const metrics = new Metrics();
    let now: EffectCounts | Error = counts({ waiting: 3, failed: 1 });
    metrics.setQueueCounts(() => (now instanceof Error ? Promise.reject(now) : Promise.resolve(now)));
    let body = await text(metrics);
    assert.equal(sample(body, 'complaints_queue_jobs{queue="staff",state="waiting"}'), 3);
    assert.equal(sample(body, 'complaints_queue_jobs{queue="staff",state="failed"}'), 1);
    assert.equal(sample(body, 'complaints_queue_jobs{queue="complainant",state="delayed"}'), 0);
    now = counts({ waiting: 0, active: 2 });
    body = await text(metrics);
    assert.equal(sample(body, 'complaints_queue_jobs{queue="staff",state="waiting"}'), 0);
    assert.equal(sample(body, 'complaints_queue_jobs{queue="staff",state="active"}'), 2);
    now = new Error('Redis is away');
    body = await text(metrics);
    assert.equal(sample(body, 'complaints_queue_jobs{queue="staff",state="active"}'), undefined, 'not the last value seen');
    assert.ok(body.includes('complaints_turns_total'), 'the rest still renders');
  });

  it('of one app are not another’s: each has its own registry', async () => {
    const [first, second] = [new Metrics(), new Metrics()];
    first.turn('directline');
    assert.equal(sample(await text(first), 'complaints_turns_total{channel="directline"}'), 1);
    assert.equal(sample(await text(second), 'complaints_turns_total{channel="directline"}'), undefined);
  });
});

describe('countsWithin', () => {
  it('gives the counts when they come in time', async () => {
    assert.deepEqual(await countsWithin(() => Promise.resolve(counts({ failed: 2 })), 1000)(), counts({ failed: 2 }));
  });

  it('gives up when they do not, rather than wait for Redis to come back', async () => {
    const started = Date.now();
    await assert.rejects(countsWithin(() => new Promise<EffectCounts>(() => undefined), 50)(), { name: 'QueueCountsTooSlow' });
    assert.ok(Date.now() - started < 1000);
  });
});
