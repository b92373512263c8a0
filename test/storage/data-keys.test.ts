import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { DataKeyRing, isSealed, MissingDataKey, open, seal, SealBroken } from '../../src/storage/encryption/data-keys.js';

const OLD = DataKeyRing.generate('old');
const NEW = DataKeyRing.generate('new');

describe('data keys and sealing (AES-256-GCM)', () => {
  it('seals text so it opens only with the same key and the same associated data', () => {
    const key = randomBytes(32);
    const sealed = seal('Sam Taylor, 07700 900123', key, 'K7M4QXP2C:doc');
    assert.ok(isSealed(sealed));
    assert.doesNotMatch(sealed, /Sam|Taylor|07700/);
    assert.notEqual(seal('Sam Taylor, 07700 900123', key, 'K7M4QXP2C:doc'), sealed, 'a fresh IV each time');
    assert.equal(open(sealed, key, 'K7M4QXP2C:doc'), 'Sam Taylor, 07700 900123');
    assert.throws(() => open(sealed, key, 'K7M4QXP2D:doc'), SealBroken, 'moved to another case');
    assert.throws(() => open(sealed, key, 'K7M4QXP2C:history'), SealBroken, 'moved to another part');
    assert.throws(() => open(sealed, randomBytes(32), 'K7M4QXP2C:doc'), SealBroken, 'another key');
    const tampered = sealed.slice(0, -6) + (sealed.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
    assert.throws(() => open(tampered, key, 'K7M4QXP2C:doc'), SealBroken, 'changed');
    assert.throws(() => open('{"plain":"json"}', key, 'K7M4QXP2C:doc'), SealBroken);
    assert.throws(() => open('e1.', key, 'K7M4QXP2C:doc'), SealBroken);
  });

  it('wraps data keys under the first key, and unwraps under any key listed, for the case they belong to', () => {
    const before = DataKeyRing.parse(OLD);
    const after = DataKeyRing.parse(`${NEW}, ${OLD}`);
    const dataKey = before.newDataKey();
    const wrapped = before.wrap(dataKey, 'K7M4QXP2C');
    assert.equal(DataKeyRing.keyIdOf(wrapped), 'old');
    assert.deepEqual(after.unwrap(wrapped, 'K7M4QXP2C'), dataKey);
    assert.equal(DataKeyRing.keyIdOf(after.wrap(dataKey, 'K7M4QXP2C')), 'new');
    assert.throws(() => after.unwrap(wrapped, 'K7M4QXP2D'), SealBroken);
    assert.throws(
      () => DataKeyRing.parse(NEW).unwrap(wrapped, 'K7M4QXP2C'),
      (error: unknown) => error instanceof MissingDataKey && error.keyId === 'old',
    );
  });

  it('tells a right key, a missing one and a wrong one under the same id apart by their check values', () => {
    const ring = DataKeyRing.parse(`${NEW},${OLD}`);
    const check = ring.checkValue('old') ?? '';
    assert.equal(ring.check('old', check), 'ok');
    assert.equal(DataKeyRing.parse(NEW).check('old', check), 'missing');
    assert.equal(DataKeyRing.parse(DataKeyRing.generate('old')).check('old', check), 'wrong');
    assert.equal(ring.checkValue('nobody'), null);
  });

  it('refuses DATA_KEYS that are not 32-byte keys with distinct ids', () => {
    for (const bad of ['', 'k1', 'k1:short', `k1:${randomBytes(16).toString('base64')}`, `${OLD},${OLD}`, `a.b:${randomBytes(32).toString('base64')}`]) {
      assert.throws(() => DataKeyRing.parse(bad), RangeError, bad);
    }
  });
});
