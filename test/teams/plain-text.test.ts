/** What Teams sends in a thread reply, as the plain text relayed to the complainant. */
import { strict as assert } from 'node:assert';
import { actionInputs, plainTextOf } from '../../src/teams/staff-bot.js';

describe('text from Teams', () => {
  it('drops the bot’s own mention, keeps colleagues’ names, and decodes entities', () => {
    assert.equal(plainTextOf('<at>Complaints</at> Ask <at>Ali Khan</at> &amp; me &#8217;bout it&#x21;', '<at>Complaints</at>'), 'Ask Ali Khan & me ’bout it!');
    assert.equal(plainTextOf('Line one<br>Line two<p>x</p>', null), 'Line one\nLine twox');
    assert.equal(plainTextOf('&#0; &#99999999; &bogus;', null), '&#0; &#99999999; &bogus;');
  });

  it('takes an action’s own inputs and ignores the other actions’ on the card', () => {
    assert.deepEqual(actionInputs({ reference: 'R', state: 's', 'respond:text': 'Answer', 'note:text': 'Other', 'close:message': '' }, 'respond'), {
      reference: 'R',
      state: 's',
      text: 'Answer',
    });
    assert.deepEqual(actionInputs('not an object', 'respond'), {});
  });
});
