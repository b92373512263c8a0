import { strict as assert } from 'node:assert';
import type { ComplainantNotice } from '../../src/cases/outbox-event.js';
import { emailWording, SHORT_TEXT_LENGTH, textWording, type NoticeFacts } from '../../src/notifications/notice-wording.js';
import { COMPLAINT_WORDS, COUNCIL, councilWriter } from './fixtures.js';

const NOTICES: readonly ComplainantNotice[] = ['acknowledgement', 'message', 'response', 'deadline-changed', 'redirected', 'closed'];

function facts(notice: ComplainantNotice, overrides: Partial<NoticeFacts> = {}): NoticeFacts {
  return { notice, reference: 'K7M-4QX-P2C', name: 'Ann Example', respondBy: 'Friday 4 December 2026', content: null, ...overrides };
}

describe('the words of emails and texts to complainants', () => {
  for (const notice of NOTICES) {
    it(`${notice}: the email gives the reference and where to read more, and no words of the case`, () => {
      const { subject, body } = emailWording(facts(notice), COUNCIL);
      assert.match(subject, /K7M-4QX-P2C/);
      assert.match(body, /K7M-4QX-P2C/);
      assert.match(body, /https:\/\/www\.exampleshire\.gov\.uk\/complaints/);
      assert.match(body, /^Dear Ann Example,/);
      assert.match(body, /call 0300 123 4567/);
      assert.doesNotMatch(body, /says:|told us:|response:|we said:/i);
    });

    it(`${notice}: the text fits in two fragments, names nobody and says where to read more`, () => {
      const text = textWording(facts(notice), COUNCIL);
      assert.ok(text.length <= SHORT_TEXT_LENGTH, `${String(text.length)} characters: ${text}`);
      assert.match(text, /K7M-4QX-P2C/);
      assert.match(text, /https:\/\/www\.exampleshire\.gov\.uk\/complaints/);
      assert.doesNotMatch(text, /Ann/);
      // GSM characters only: one curly quote would make every fragment 70 characters, not 160.
      assert.match(text, /^[\x20-\x7e]+$/);
    });
  }

  it('an acknowledgement says when they will hear back; a changed deadline gives the new date', () => {
    assert.match(emailWording(facts('acknowledgement'), COUNCIL).body, /We will respond by Friday 4 December 2026\./);
    assert.match(textWording(facts('deadline-changed', { respondBy: 'Monday 11 January 2027' }), COUNCIL), /now respond by Monday 11 January 2027\./);
    assert.match(textWording(facts('deadline-changed', { respondBy: null }), COUNCIL), /To see the new date and why/);
  });

  it('a staff message is announced as new, to be read in the chat', () => {
    const { subject, body } = emailWording(facts('message'), COUNCIL);
    assert.equal(subject, 'New message about your complaint K7M-4QX-P2C');
    assert.match(body, /You have a new message about your complaint K7M-4QX-P2C to Exampleshire County Council\./);
    assert.match(body, /To read it and reply, go to https:\/\/www\.exampleshire\.gov\.uk\/complaints/);
  });

  it('greets someone who gave no name without one, and an odd name on one line', () => {
    assert.match(emailWording(facts('closed', { name: null }), COUNCIL).body, /^Hello,\n/);
    assert.match(emailWording(facts('closed', { name: '  Ann\n  Example ' }), COUNCIL).body, /^Dear Ann Example,\n/);
  });

  it('includes the words only when they are given', () => {
    const { body } = emailWording(facts('acknowledgement', { content: COMPLAINT_WORDS }), COUNCIL);
    assert.match(body, new RegExp(`What you told us:\\n\\n${COMPLAINT_WORDS}`));
    assert.match(textWording(facts('response', { content: 'We have upheld your complaint.' }), COUNCIL), /Our response: "We have upheld your complaint\."/);
  });

  it('shortens long words in a text to four fragments, still ending with where to read them', () => {
    const text = textWording(facts('message', { content: 'word '.repeat(400) }), COUNCIL);
    assert.ok(text.length <= 612, String(text.length));
    assert.match(text, /word\.\.\." To read it and reply, go to https:\/\/www\.exampleshire\.gov\.uk\/complaints and give your reference\.$/);
  });

  it('the writer leaves the words out unless the organisation allows them, whatever the message carries', () => {
    const withWords = facts('acknowledgement', { content: COMPLAINT_WORDS });
    assert.doesNotMatch(councilWriter(false).email(withWords).body, /medication/);
    assert.doesNotMatch(councilWriter(false).text(withWords), /medication/);
    assert.match(councilWriter(true).email(withWords).body, /medication/);
    assert.match(councilWriter(true).text(withWords), /medication/);
  });
});
