import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  checkCharacter,
  findReference,
  formatReference,
  generateReference,
  isCaseReference,
  parseReference,
  REFERENCE_ALPHABET,
} from '../../src/cases/reference.js';

describe('case references', () => {
  it('are nine characters from an alphabet with no look-alikes, the last a check character', () => {
    const reference = generateReference();
    assert.match(reference, new RegExp(`^[${REFERENCE_ALPHABET}]{9}$`));
    assert.equal(checkCharacter(reference.slice(0, 8)), reference.slice(8));
    for (const confusable of ['0', 'O', '1', 'I', 'L', 'Z', 'S', 'B', 'G', 'U']) assert.ok(!REFERENCE_ALPHABET.includes(confusable), confusable);
  });

  it('read back however they are typed: case, spaces, dashes and look-alike letters', () => {
    const reference = generateReference();
    const messy = ` ${formatReference(reference).toLowerCase().replace('-', ' ')} `;
    assert.deepEqual(parseReference(messy), { ok: true, reference });
    const withLookAlikes = reference.replace(/5/g, 'S').replace(/2/g, 'z').replace(/8/g, 'B');
    assert.deepEqual(parseReference(withLookAlikes), { ok: true, reference });
  });

  it('catch every single mistyped character before any lookup', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: REFERENCE_ALPHABET.length - 1 }), (position, shift) => {
        const reference = generateReference();
        const wrong = REFERENCE_ALPHABET.charAt((REFERENCE_ALPHABET.indexOf(reference.charAt(position)) + shift) % REFERENCE_ALPHABET.length);
        const typo = reference.slice(0, position) + wrong + reference.slice(position + 1);
        return !parseReference(typo).ok;
      }),
      { numRuns: 2000 },
    );
  });

  it('catch nearly every swap of two neighbouring characters', () => {
    let swaps = 0;
    let caught = 0;
    for (let run = 0; run < 500; run += 1) {
      const reference = generateReference();
      for (let position = 0; position < 8; position += 1) {
        if (reference.charAt(position) === reference.charAt(position + 1)) continue;
        const swapped = reference.slice(0, position) + reference.charAt(position + 1) + reference.charAt(position) + reference.slice(position + 2);
        swaps += 1;
        if (!parseReference(swapped).ok) caught += 1;
      }
    }
    assert.ok(caught / swaps > 0.95, `caught ${caught} of ${swaps}`);
  });

  it('say what is wrong with text that cannot be a reference', () => {
    assert.deepEqual(parseReference('   '), { ok: false, problem: 'empty' });
    assert.deepEqual(parseReference('K7M-4QX'), { ok: false, problem: 'length' });
    assert.deepEqual(parseReference('K7M-4QX-P2@'), { ok: false, problem: 'characters' });
    assert.deepEqual(parseReference('<script>!'), { ok: false, problem: 'characters' });
    assert.equal(isCaseReference('k7m4qxp2c'), false, 'only the normalised form is a reference');
  });

  it('are random: ten thousand are all different and use the whole alphabet evenly', () => {
    const references = Array.from({ length: 10_000 }, generateReference);
    assert.equal(new Set(references).size, references.length);
    const counts = new Map<string, number>();
    for (const reference of references) for (const character of reference.slice(0, 8)) counts.set(character, (counts.get(character) ?? 0) + 1);
    const expected = (references.length * 8) / REFERENCE_ALPHABET.length;
    assert.equal(counts.size, REFERENCE_ALPHABET.length);
    for (const [character, count] of counts) assert.ok(Math.abs(count - expected) < expected * 0.15, `${character}: ${count}`);
  });

  it('are found inside a sentence or quotes, and a single mistyped one is still reported as mistyped', () => {
    const reference = generateReference();
    const grouped = formatReference(reference);
    for (const text of [`my reference is ${grouped}`, `"${grouped}"`, `It's '${reference.toLowerCase()}', thanks`, `ref: ${grouped.replace(/-/g, ' ')}.`]) {
      assert.deepEqual(findReference(text), { ok: true, reference }, text);
    }
    // A short word before it is not taken as its first three characters.
    assert.deepEqual(findReference(`ref ${grouped}`), { ok: true, reference });
    assert.deepEqual(findReference(`its ${grouped.replace(/-/g, ' ')}`), { ok: true, reference });
    const last = reference.slice(-1);
    const typo = `${reference.slice(0, -1)}${last === '2' ? '3' : '2'}`;
    assert.deepEqual(findReference(`my reference is ${typo}`), { ok: false, problem: 'check' });
    assert.deepEqual(findReference('I think it was something like that'), { ok: false, problem: 'length' });
    assert.deepEqual(findReference('   '), { ok: false, problem: 'empty' });
  });
});
