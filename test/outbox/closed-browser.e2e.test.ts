/**
 * A complainant who closes their browser, end to end on Redis with a real SMTP server: they
 * lodge in the widget and leave; staff reply in the case's thread; nobody sees the reply, so
 * after the unseen time they get an email saying there is a message (without its words), the
 * thread's status line says so, and the reply is shown when they come back and look the
 * complaint up.
 */
import { strict as assert } from 'node:assert';
import { connect, eventually, lodgeThroughWidget, newSession, sayAndWait } from '../helpers/directline-client.js';
import { uniquePrefix } from '../helpers/redis.js';
import { STAFF, threadReply } from '../helpers/teams.js';
import { startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import { startSmtpServer, type SmtpTestServer } from '../notifications/smtp-test-server.js';

describe('a complainant with a closed browser', function () {
  this.timeout(90_000);
  let smtp: SmtpTestServer;
  let running: TeamsTestApp;

  before(async () => {
    smtp = await startSmtpServer();
    running = await startTeamsApp(uniquePrefix('closed-browser'), {
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'complaints@example.gov.uk' },
      compose: { unseenAfterMs: 1000 },
    });
  });

  after(async () => {
    await running.close();
    await smtp.close();
  });

  it('is emailed that there is a message, without its words, and shown it when they look the complaint up', async () => {
    const { url, teams } = running;
    const session = await newSession(url);
    const person = connect({ token: session.token, domain: session.domain, webSocket: true });
    let reference;
    try {
      reference = await lodgeThroughWidget(person, 'The social worker cancelled three visits.');
    } finally {
      person.end(); // the browser is closed
    }

    // The acknowledgement, by email as they preferred.
    const acknowledgement = await eventually(() => smtp.received.find((mail) => mail.to.includes('sam@example.org')), 'the acknowledgement email');
    assert.ok(acknowledgement.text.includes(reference.slice(0, 3)), 'the acknowledgement gives the reference');

    // Staff reply in the thread; nobody is there to see it.
    const thread = await eventually(async () => (await running.app.stores.cases.get(reference))?.case.teamsThread?.conversationId, 'the card');
    const question = 'Could you tell us the dates of the cancelled visits?';
    assert.equal((await running.post(threadReply(teams.url, thread, STAFF, question, { mention: true }))).status, 200);

    const notice = await eventually(() => smtp.received.length >= 2 && smtp.received[1], 'the email about the new message');
    assert.deepEqual(notice.to, ['sam@example.org']);
    assert.ok(!notice.text.includes('cancelled visits'), 'the email does not carry the message');
    assert.match(notice.text, /message/i);
    const statusLines = (): string[] =>
      teams.calls
        .filter((call) => call.conversationId === thread && (call.kind === 'reply' || call.kind === 'update'))
        .map((call) => {
          const text = call.body.activity?.['text'];
          return typeof text === 'string' ? text : '';
        })
        .filter((text) => /complainant’s chat/.test(text));
    await eventually(() => statusLines().some((line) => /not seen in time.*emailed/.test(line)), 'the status line to say it was emailed');
    assert.ok(
      statusLines().some((line) => /not yet seen/.test(line)),
      'the line first said it was sent and not yet seen',
    );

    // They come back, look the complaint up, and see the message first.
    const back = await newSession(url);
    const returning = connect({ token: back.token, domain: back.domain, webSocket: true });
    try {
      await returning.waitFor((activity) => /What would you like to do\?/.test(activity.text ?? ''));
      await sayAndWait(returning, 'Check on my complaint', /What is your complaint reference\?/);
      await sayAndWait(returning, reference, /To check it’s you/);
      await sayAndWait(returning, 'sam@example.org', new RegExp(question.replace(/\?/g, '\\?')));
    } finally {
      returning.end();
    }
  });
});
