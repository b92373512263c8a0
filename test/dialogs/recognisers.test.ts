import { strict as assert } from 'node:assert';
import { readYesNo, recogniseInterruption, recogniseMenuChoice } from '../../dialogs/recognisers.js';

describe('understanding short answers', () => {
  const YES_NO: readonly [string, boolean | null, string][] = [
    ['yes', true, ''], ['Yes.', true, ''], ['yep!', true, ''], ['Yes, please', true, ''], ['I agree', true, ''], ['👍', true, ''],
    ['yes it was', true, 'it was'], ['Yes, that is correct', true, 'that is correct'], ['yes yes', true, ''],
    ['no', false, ''], ['No thank you', false, ''], ['nope', false, ''], ['no, it was 4/4', false, 'it was 4/4'],
    ['yes no', null, 'yes no'], ['no yes', null, 'no yes'], ['yesterday', null, 'yesterday'], ['nothing', null, 'nothing'],
    ['noon', null, 'noon'], ['it was 4/4', null, 'it was 4/4'], ['', null, ''],
  ];
  for (const [said, answer, rest] of YES_NO) {
    it(`reads ${JSON.stringify(said)} as ${String(answer)}${rest ? `, then "${rest}"` : ''}`, () => {
      assert.deepEqual(readYesNo(said), { answer, rest });
    });
  }

  it('takes "?" and "help" as asking for help, but not an answer that mentions help', () => {
    assert.equal(recogniseInterruption('?'), 'help');
    assert.equal(recogniseInterruption('??'), 'help');
    assert.equal(recogniseInterruption('Help!'), 'help');
    assert.equal(recogniseInterruption('nobody would help him'), null);
    assert.equal(recogniseInterruption('call me'), null, 'an answer about how to be contacted, not a request for a person');
    assert.equal(recogniseInterruption('I want to talk to a person'), 'person');
  });

  it('never reads a property name as a menu choice', () => {
    for (const said of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) assert.equal(recogniseMenuChoice(said), null, said);
    assert.equal(recogniseMenuChoice('lodge'), 'lodge');
  });
});
