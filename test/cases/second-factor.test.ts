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
    assert.match(hash, /^[0-9a-f]{64}$/);
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
  });
});
