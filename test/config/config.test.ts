import { strict as assert } from 'node:assert';
import { InvalidConfiguration, loadConfig, loadConfigFor, serviceDetailsFrom } from '../../src/config/config.js';

const SECRET = 'x'.repeat(32);

describe('configuration', () => {
  it('refuses to start for real without Redis, a token secret and the organisation’s details', () => {
    assert.throws(
      () => loadConfig({}),
      (error: unknown) => {
        assert.ok(error instanceof InvalidConfiguration);
        for (const name of ['REDIS_URL', 'DIRECT_LINE_TOKEN_SECRET', 'SERVICE_DESK_PHONE', 'SAFEGUARDING_CHILDREN_PHONE', 'PRIVACY_NOTICE_URL'])
          assert.match(error.message, new RegExp(`${name}: is required`));
        return true;
      },
    );
  });

  it('starts in local development with in-memory stores and example details that say they are examples', () => {
    const config = loadConfig({ LOCAL_DEVELOPMENT: 'true' });
    assert.equal(config.PORT, 3978);
    assert.match(serviceDetailsFrom(config).serviceDesk.phone, /example/);
  });

  it('uses the organisation’s own details when given', () => {
    const details = serviceDetailsFrom(loadConfig({ LOCAL_DEVELOPMENT: 'true', SERVICE_DESK_PHONE: '0161 496 0000', RECEIPT_CUT_OFF: '17:00' }));
    assert.equal(details.serviceDesk.phone, '0161 496 0000');
    assert.equal(details.cutOff, '17:00');
  });

  it('runs in memory with safe defaults in local development', () => {
    const config = loadConfig({ LOCAL_DEVELOPMENT: 'true' });
    assert.equal(config.REDIS_URL, undefined);
    assert.equal(config.REDIS_MODE, 'standalone');
    assert.equal(config.REDIS_KEY_PREFIX, 'complaints');
    assert.equal(config.CASE_SHARDS, 16);
    assert.equal(config.CONVERSATION_IDLE_HOURS, 24);
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ LOCAL_DEVELOPMENT: 'true', REDIS_URL: '', CASE_SECRET: ' ' }).REDIS_URL, undefined);
  });

  it('reads Redis settings, including TLS URLs and cluster nodes', () => {
    const config = loadConfig({
      LOCAL_DEVELOPMENT: 'true',
      REDIS_URL: 'rediss://bot:pw@redis.example.org:6380/0',
      CASE_SECRET: SECRET,
      DATA_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      REDIS_MODE: 'cluster',
      REDIS_NODES: 'a.example.org:6379, b.example.org:6379',
    });
    assert.equal(config.REDIS_MODE, 'cluster');
    assert.deepEqual(config.REDIS_NODES, ['a.example.org:6379', 'b.example.org:6379']);
  });

  it('names every bad variable in one error', () => {
    assert.throws(
      () => loadConfig({ REDIS_URL: 'http://localhost', CASE_SHARDS: 'many', REDIS_KEY_PREFIX: 'bad{prefix}' }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidConfiguration);
        assert.match(error.message, /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
        assert.match(error.message, /CASE_SHARDS/);
        assert.match(error.message, /REDIS_KEY_PREFIX/);
        return true;
      },
    );
  });

  it('requires the Direct Line secret in Azure mode, and a password with an app id', () => {
    assert.throws(() => loadConfig({ LOCAL_DEVELOPMENT: 'true', DIRECT_LINE_MODE: 'azure' }), /DIRECT_LINE_SECRET: is required/);
    assert.throws(() => loadConfig({ LOCAL_DEVELOPMENT: 'true', MicrosoftAppId: 'app' }), /MicrosoftAppPassword: is required/);
  });

  it('requires CASE_SECRET and DATA_KEYS with Redis, and the sentinels and master name in sentinel mode', () => {
    assert.throws(() => loadConfig({ LOCAL_DEVELOPMENT: 'true', REDIS_URL: 'redis://localhost:6379' }), /CASE_SECRET: is required when REDIS_URL is set/);
    assert.throws(
      () => loadConfig({ LOCAL_DEVELOPMENT: 'true', REDIS_URL: 'redis://localhost:6379', CASE_SECRET: SECRET }),
      /DATA_KEYS: is required when REDIS_URL is set/,
    );
    for (const bad of ['k1', 'k1:tooshort', `k1:${Buffer.alloc(16).toString('base64')}`, `k1 ${Buffer.alloc(32).toString('base64')}`]) {
      assert.throws(() => loadConfig({ LOCAL_DEVELOPMENT: 'true', DATA_KEYS: bad }), /DATA_KEYS: must be <id>:<32 random bytes in base64>/, bad);
    }
    const two = `new:${Buffer.alloc(32, 2).toString('base64')}, old:${Buffer.alloc(32, 1).toString('base64')}`;
    assert.equal(loadConfig({ LOCAL_DEVELOPMENT: 'true', DATA_KEYS: two }).DATA_KEYS, two);
    assert.throws(() => loadConfig({ REDIS_URL: 'redis://localhost:6379', CASE_SECRET: SECRET, REDIS_MODE: 'sentinel' }), /REDIS_SENTINEL_MASTER/);
    assert.throws(() => loadConfig({ REDIS_MODE: 'cluster' }), /REDIS_URL: is required when REDIS_MODE is cluster/);
    assert.throws(() => loadConfig({ REDIS_URL: 'redis://localhost:6379', CASE_SECRET: SECRET, REDIS_NODES: 'nohost' }), /"nohost" is not host:port/);
  });

  it('is in local development only when started with --local, never because a variable is missing', () => {
    assert.equal(loadConfigFor(['node', 'main.js', '--local'], {}).LOCAL_DEVELOPMENT, true);
    assert.throws(() => loadConfigFor(['node', 'main.js'], {}), InvalidConfiguration);
  });

  it('keeps local development on this machine: a non-loopback HOST is refused', () => {
    assert.throws(() => loadConfig({ LOCAL_DEVELOPMENT: 'true', HOST: '0.0.0.0' }), /HOST: must be a loopback address/);
    assert.equal(loadConfig({ LOCAL_DEVELOPMENT: 'true', HOST: '127.0.0.1' }).HOST, '127.0.0.1');
  });

  it('checks which sites may embed the widget', () => {
    assert.equal(loadConfig({ LOCAL_DEVELOPMENT: 'true' }).WIDGET_EMBED_ORIGINS, "'self'", 'no other site may frame the chat unless named');
    assert.equal(
      loadConfig({ LOCAL_DEVELOPMENT: 'true', WIDGET_EMBED_ORIGINS: 'https://www.example.gov.uk https://intranet.example.gov.uk' }).WIDGET_EMBED_ORIGINS,
      'https://www.example.gov.uk https://intranet.example.gov.uk',
    );
    assert.throws(
      () => loadConfig({ LOCAL_DEVELOPMENT: 'true', WIDGET_EMBED_ORIGINS: "https://x.example; script-src 'unsafe-inline'" }),
      /WIDGET_EMBED_ORIGINS/,
    );
  });

  describe('email and text to complainants', () => {
    const NOTIFY_KEY = 'live_key-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0';
    const TEMPLATE = 'f33517ff-2a88-4f6e-b855-c550268ce08a';
    const local = (env: Record<string, string>) => loadConfig({ LOCAL_DEVELOPMENT: 'true', ...env });

    it('sends nothing, keeps no words in messages and has no provider by default', () => {
      const config = local({});
      assert.equal(config.NOTIFY_API_KEY, undefined);
      assert.equal(config.SMTP_URL, undefined);
      assert.equal(config.CONTACT_CONTENT_ALLOWED, false);
      assert.equal(config.NOTIFY_BASE_URL, 'https://api.notifications.service.gov.uk');
      assert.equal(local({ CONTACT_CONTENT_ALLOWED: 'true' }).CONTACT_CONTENT_ALLOWED, true);
    });

    it('takes a Notify key of Notify’s shape, and never repeats a wrong one', () => {
      assert.equal(local({ NOTIFY_API_KEY: NOTIFY_KEY, NOTIFY_EMAIL_TEMPLATE_ID: TEMPLATE }).NOTIFY_API_KEY, NOTIFY_KEY);
      const wrong = 'live_key-26785a09-ab16-4eb0-8407-a37497a57506-secret';
      assert.throws(
        () => local({ NOTIFY_API_KEY: wrong, NOTIFY_EMAIL_TEMPLATE_ID: TEMPLATE }),
        (error: unknown) => {
          assert.ok(error instanceof InvalidConfiguration);
          assert.match(error.message, /NOTIFY_API_KEY: must be a GOV.UK Notify API key/);
          assert.ok(!error.message.includes('26785a09'), error.message);
          return true;
        },
      );
      assert.throws(() => local({ NOTIFY_API_KEY: NOTIFY_KEY, NOTIFY_SMS_TEMPLATE_ID: 'text' }), /NOTIFY_SMS_TEMPLATE_ID: must be a GUID/);
    });

    it('refuses a Notify key without templates, and templates without a key', () => {
      assert.throws(() => local({ NOTIFY_API_KEY: NOTIFY_KEY }), /NOTIFY_API_KEY: needs NOTIFY_EMAIL_TEMPLATE_ID or NOTIFY_SMS_TEMPLATE_ID/);
      assert.throws(
        () => local({ NOTIFY_API_KEY: NOTIFY_KEY, NOTIFY_SMS_TEMPLATE_ID: TEMPLATE }),
        /NOTIFY_EMAIL_TEMPLATE_ID: is required with NOTIFY_API_KEY unless SMTP_URL/,
      );
      assert.throws(() => local({ NOTIFY_SMS_TEMPLATE_ID: TEMPLATE }), /NOTIFY_SMS_TEMPLATE_ID: needs NOTIFY_API_KEY/);
    });

    it('refuses SMTP without a From address, and two providers for email', () => {
      assert.throws(() => local({ SMTP_URL: 'smtp://mail.example.gov.uk:587' }), /MAIL_FROM: is required with SMTP_URL/);
      assert.throws(() => local({ SMTP_URL: 'https://mail.example.gov.uk', MAIL_FROM: 'complaints@example.gov.uk' }), /SMTP_URL: must be an smtp:\/\//);
      assert.throws(() => local({ SMTP_URL: 'smtp://mail.example.gov.uk', MAIL_FROM: 'complaints' }), /MAIL_FROM: must be an email address/);
      const both = {
        NOTIFY_API_KEY: NOTIFY_KEY,
        NOTIFY_EMAIL_TEMPLATE_ID: TEMPLATE,
        SMTP_URL: 'smtps://bot:pw@mail.example.gov.uk',
        MAIL_FROM: 'complaints@example.gov.uk',
      };
      assert.throws(() => local(both), /SMTP_URL: and NOTIFY_EMAIL_TEMPLATE_ID would both send email/);
    });

    it('sends texts by Notify and email by SMTP when both are set', () => {
      const config = local({
        NOTIFY_API_KEY: NOTIFY_KEY,
        NOTIFY_SMS_TEMPLATE_ID: TEMPLATE,
        SMTP_URL: 'smtps://bot:pw@mail.example.gov.uk:465',
        MAIL_FROM: '"Example council complaints" <complaints@example.gov.uk>',
      });
      assert.equal(config.SMTP_URL, 'smtps://bot:pw@mail.example.gov.uk:465');
      assert.equal(config.MAIL_FROM, '"Example council complaints" <complaints@example.gov.uk>');
    });
  });
});
