import { strict as assert } from 'node:assert';
import { generateReference } from '../../src/cases/reference.js';
import { normaliseSecondFactor, SecondFactorHasher } from '../../src/cases/second-factor.js';

describe('the second factor', () => {
  const hasher = new SecondFactorHasher('a-secret-for-tests-with-32-characters!');

  it('treats the ways people write one email or one UK number as the same', () => {
    assert.equal(normaliseSecondFactor(' Sam.Taylor@Example.ORG '), 'sam.taylor@example.org');
    for (const phone of ['07700 900123', '07700-900-123', '+44 7700 900123', '0044 7700 900123', '+44 (0)7700 900123']) {
      assert.equal(normaliseSecondFactor(phone), '447700900123', phone);
    }
  });

  it('is stored as a keyed hash, never as the detail itself, and differs between cases', () => {
    const first = generateReference();
    const second = generateReference();
    const hash = hasher.hash(first, 'sam@example.org');
    assert.match(hash, /^[0-9a-f]{12}\.[0-9a-f]{64}$/);
    assert.equal(hash.split('.')[0], hasher.keyId);
    assert.ok(!hash.includes('sam'));
    assert.notEqual(hash, hasher.hash(second, 'sam@example.org'));
    assert.notEqual(hash, new SecondFactorHasher('another-secret-with-at-least-32-characters').hash(first, 'sam@example.org'));
  });

  it('matches the right detail only, and never matches when there is no stored hash', () => {
    const reference = generateReference();
    const stored = hasher.hash(reference, '07700 900123');
    assert.equal(hasher.matches(reference, '+447700900123', stored), true);
    assert.equal(hasher.matches(reference, '07700 900124', stored), false);
    assert.equal(hasher.matches(reference, '07700 900123', null), false);
    assert.equal(hasher.matches(reference, '07700 900123', 'not-a-hash'), false);
  });

  it('refuses a secret too short to be safe', () => {
    assert.throws(() => new SecondFactorHasher('short'), RangeError);
    assert.throws(() => new SecondFactorHasher('a-secret-for-tests-with-32-characters!', ['short']), RangeError);
  });

  it('unlocks with any of the details hashed for a case, and none other', () => {
    const reference = generateReference();
    const stored = hasher.hashAll(reference, ['sam@example.org', '+447700900123', 'Sam@Example.org']);
    assert.equal(stored.split(',').length, 2);
    assert.equal(hasher.matches(reference, '07700 900123', stored), true);
    assert.equal(hasher.matches(reference, 'SAM@example.org', stored), true);
    assert.equal(hasher.matches(reference, 'someone@example.org', stored), false);
  });

  it('checks a hash made with an earlier secret, and replaces it with the current one’s once its owner has typed the detail', () => {
    const reference = generateReference();
    const earlier = new SecondFactorHasher('the-secret-used-before-the-rotation-0001');
    const current = new SecondFactorHasher('a-secret-for-tests-with-32-characters!', ['the-secret-used-before-the-rotation-0001']);
    const stored = earlier.hashAll(reference, ['4821 0937 5562', 'sam@example.org']);
    assert.equal(hasher.matches(reference, '4821 0937 5562', stored), false, 'not without the earlier secret');
    assert.equal(current.matches(reference, '4821 0937 5562', stored), true);
    const rewritten = current.rehashed(reference, '4821 0937 5562', stored);
    assert.ok(rewritten !== null);
    assert.equal(hasher.matches(reference, '4821 0937 5562', rewritten), true);
    assert.equal(current.matches(reference, 'sam@example.org', rewritten), true, 'the other detail still unlocks it');
    assert.equal(current.rehashed(reference, '4821 0937 5562', rewritten), null, 'nothing more to change');
    assert.equal(current.rehashed(reference, 'wrong', stored), null);
  });
});
