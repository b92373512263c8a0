/**
 * The Teams app package: the manifest validates offline against Microsoft's schema for its
 * manifestVersion, puts the bot in team and personal scopes, asks for the resource-specific
 * consent that lets the bot read channel replies without an @mention, and ships icons of the
 * required sizes; `npm run manifest`'s build refuses missing settings by name.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appVersion, buildPackage, ICONS, MANIFEST_DIR, manifestProblems, pngSize } from '../../scripts/build-manifest.js';
import { loadManifestConfig } from '../../src/config/config.js';
import { fillManifest, UnsuitableVersion } from '../../src/teams/app-manifest.js';

const ENV = {
  TEAMS_APP_ID: '0f8c7e9a-1b2c-4d3e-8f9a-0b1c2d3e4f5a',
  MicrosoftAppId: '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d',
  PUBLIC_URL: 'https://complaints-bot.example.gov.uk',
  SERVICE_ORGANISATION: 'Example Council',
  PRIVACY_NOTICE_URL: 'https://www.example.gov.uk/privacy',
};

describe('the Teams app package', () => {
  const output = join(tmpdir(), `complaints-desk-${String(process.pid)}.zip`);
  after(() => {
    rmSync(output, { force: true });
  });

  it('validates against Microsoft’s schema, with the bot in team and personal scopes and channel-message consent', async () => {
    const manifest = await buildPackage(ENV, output);
    assert.deepEqual(await manifestProblems(manifest), []);
    const bot = (manifest['bots'] as { botId: string; scopes: string[] }[])[0];
    assert.equal(bot?.botId, ENV.MicrosoftAppId);
    assert.deepEqual([...bot.scopes].sort(), ['personal', 'team']);
    const rsc = (manifest['authorization'] as { permissions: { resourceSpecific: { name: string; type: string }[] } }).permissions.resourceSpecific;
    assert.ok(rsc.some((permission) => permission.name === 'ChannelMessage.Read.Group' && permission.type === 'Application'));
    assert.deepEqual(manifest['validDomains'], ['complaints-bot.example.gov.uk']);
    assert.equal(manifest['id'], ENV.TEAMS_APP_ID);

    const zip = readFileSync(output);
    assert.equal(zip.readUInt32LE(0), 0x04034b50, 'a zip file');
    for (const name of ['manifest.json', 'color.png', 'outline.png']) assert.ok(zip.includes(Buffer.from(name)), `${name} is in the package`);
    assert.ok(zip.includes(Buffer.from(`"botId": "${ENV.MicrosoftAppId}"`)), 'the filled manifest is the one packed');
  });

  it('has the staff tab as a personal and a channel tab, with single sign-on to the bot’s app registration', async () => {
    const manifest = await buildPackage(ENV, output);
    assert.deepEqual(await manifestProblems(manifest), []);
    const [personal] = manifest['staticTabs'] as { contentUrl: string; scopes: string[] }[];
    assert.equal(personal?.contentUrl, `${ENV.PUBLIC_URL}/tab/`);
    assert.deepEqual(personal.scopes, ['personal']);
    const [channel] = manifest['configurableTabs'] as { configurationUrl: string; context: string[] }[];
    assert.equal(channel?.configurationUrl, `${ENV.PUBLIC_URL}/tab/configure`);
    assert.deepEqual(channel.context, ['channelTab']);
    assert.deepEqual(manifest['webApplicationInfo'], { id: ENV.MicrosoftAppId, resource: `api://complaints-bot.example.gov.uk/${ENV.MicrosoftAppId}` });
  });

  it('notices a manifest the schema refuses (the check can fail)', async () => {
    const manifest = await buildPackage(ENV, output);
    const broken = { ...manifest, bots: [{ botId: 'not-a-guid', scopes: ['everywhere'] }] };
    assert.ok((await manifestProblems(broken)).length > 0);
  });

  it('ships icons of the sizes Teams requires, the outline white on transparent', () => {
    for (const [name, size] of Object.entries(ICONS)) assert.deepEqual(pngSize(readFileSync(join(MANIFEST_DIR, name))), { width: size, height: size });
    const outline = readFileSync(join(MANIFEST_DIR, 'outline.png'));
    assert.equal(outline[25], 6, 'the outline icon has an alpha channel (colour type RGBA)');
  });

  it('carries package.json’s version, so a new package uploads over the old one', async () => {
    const manifest = await buildPackage(ENV, output);
    assert.equal(manifest['version'], appVersion());
    assert.match(appVersion(), /^\d+\.\d+\.\d+$/);
    assert.throws(() => fillManifest(readFileSync(join(MANIFEST_DIR, 'manifest.template.json'), 'utf8'), loadManifestConfig(ENV), '1.0'), UnsuitableVersion);
  });

  it('keeps PUBLIC_URL’s path in its addresses, and names a real terms page (the bot’s own, or TERMS_OF_USE_URL)', async () => {
    const underPath = await buildPackage({ ...ENV, PUBLIC_URL: 'https://www.example.gov.uk/complaints/bot/' }, output);
    const developer = underPath['developer'] as Record<string, string>;
    assert.equal(developer['websiteUrl'], 'https://www.example.gov.uk/complaints/bot/');
    assert.equal(developer['termsOfUseUrl'], 'https://www.example.gov.uk/complaints/bot/teams-app/terms');
    assert.deepEqual(underPath['validDomains'], ['www.example.gov.uk']);
    const own = await buildPackage({ ...ENV, TERMS_OF_USE_URL: 'https://www.example.gov.uk/terms/teams' }, output);
    assert.equal((own['developer'] as Record<string, string>)['termsOfUseUrl'], 'https://www.example.gov.uk/terms/teams');
    assert.deepEqual(await manifestProblems(own), []);
  });

  it('refuses to build without its settings, naming each', async () => {
    await assert.rejects(buildPackage({ ...ENV, TEAMS_APP_ID: undefined, PUBLIC_URL: 'http://insecure.example' }, output), (error: Error) => {
      assert.match(error.message, /TEAMS_APP_ID/);
      assert.match(error.message, /PUBLIC_URL: must be the bot's https:\/\/ address/);
      return true;
    });
  });
});
