/** Waiting out Teams' throttling: as long as Retry-After says, else backing off; other errors at once. */
import { strict as assert } from 'node:assert';
import { throttledFor, withThrottling } from '../../src/teams/teams-channel.js';

function throttled(retryAfter?: string): Error {
  return Object.assign(new Error('Too many requests'), {
    statusCode: 429,
    response: { headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) } },
  });
}

describe('Teams throttling', () => {
  it('reads how long Teams asked to wait', () => {
    assert.equal(throttledFor(throttled('3')), 3000);
    assert.equal(throttledFor(throttled()), 0);
    assert.equal(throttledFor(throttled('999')), 60_000, 'capped at a minute');
    assert.equal(throttledFor(Object.assign(new Error('x'), { statusCode: 500 })), null);
    assert.equal(throttledFor('not an error'), null);
  });

  it('tries again after the wait Teams asks for, and gives up only after its attempts', async () => {
    const waits: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      waits.push(ms);
      return Promise.resolve();
    };
    const calls = { count: 0 };
    const result = await withThrottling(
      () => {
        calls.count += 1;
        return calls.count < 3 ? Promise.reject(throttled('2')) : Promise.resolve('sent');
      },
      { sleep },
    );
    assert.equal(result, 'sent');
    assert.deepEqual(waits, [2000, 2000]);

    await assert.rejects(
      withThrottling(() => Promise.reject(throttled()), { sleep, attempts: 3 }),
      /Too many requests/,
    );
    assert.equal(waits.length, 4, 'backed off twice more without Retry-After');
    for (const wait of waits.slice(2)) assert.ok(wait > 0 && wait <= 8000);
  });

  it('gives up rather than keep a person waiting past its budget', async () => {
    const waits: number[] = [];
    await assert.rejects(
      withThrottling(() => Promise.reject(throttled('10')), {
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
        budgetMs: 25_000,
      }),
      /Too many requests/,
    );
    assert.deepEqual(waits, [10_000, 10_000], 'a third wait of 10 s would pass 25 s');
  });

  it('does not retry other failures', async () => {
    const calls = { count: 0 };
    await assert.rejects(
      withThrottling(
        () => {
          calls.count += 1;
          return Promise.reject(new Error('Forbidden'));
        },
        { sleep: () => Promise.resolve() },
      ),
      /Forbidden/,
    );
    assert.equal(calls.count, 1);
  });
});
