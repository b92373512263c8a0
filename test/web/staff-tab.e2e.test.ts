/**
 * The staff tab in headless Chromium, through the real teams-js code path: a host page on the
 * tab's origin frames it and answers teams-js as Teams does (initialize, context, the single
 * sign-on token, a theme change), with tokens signed by keys made here and published through a
 * local OpenID metadata endpoint. Covered: the queue and its views, search, a case in full, a
 * decision from the tab, the three themes, axe-core, keyboard use, and a failed sign-on.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { formatReference } from '../../src/cases/reference.js';
import { lodgeRequest } from '../helpers/cases.js';
import { launchChromium, watch } from '../helpers/browser.js';
import { uniquePrefix } from '../helpers/redis.js';
import { startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import { STAFF, TENANT } from '../helpers/teams.js';

/** The page's globals the checks below read (run inside the browser). */
interface InTab {
  document: { documentElement: { className: string } };
  axe: { run(context: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> };
}

/** The stand-in Teams host, as the host page's script leaves it (test/fixtures/teams-host.js). */
interface Host {
  teamsHost: { requests: string[]; settings: { contentUrl: string; entityId: string }; setTheme(theme: string): void; save(): void };
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const HOST_SCRIPT = readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'teams-host.js'), 'utf8');
const CLIENT_ID = '0e5c3a2b-7d1f-4c8e-9a6b-5f4e3d2c1b0a';
const APP_ID_URI = `api://complaints.example.org/${CLIENT_ID}`;

/** What axe-core finds serious or critical in the tab as it stands. */
async function seriousProblems(tab: Frame): Promise<string[]> {
  await tab.evaluate(AXE);
  const result = await tab.evaluate(() => {
    const page = globalThis as unknown as InTab;
    return page.axe.run(page.document);
  });
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact ?? ''} ${violation.id} at ${violation.nodes.map((node) => node.target.join(' ')).join('; ')}`);
}

describe('the staff tab in Teams, in a real browser', function () {
  this.timeout(120_000);
  let running: TeamsTestApp;
  let entra: Server;
  let browser: Browser;
  let context: BrowserContext;
  let token: string;

  before(async () => {
    const pair = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'tab-key', alg: 'RS256', use: 'sig' };
    entra = createServer((request, response) => {
      const base = `http://127.0.0.1:${String((entra.address() as AddressInfo).port)}`;
      const body = request.url === '/metadata' ? { issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', jwks_uri: `${base}/keys` } : { keys: [jwk] };
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => entra.listen(0, '127.0.0.1', resolve));
    running = await startTeamsApp(uniquePrefix('tab-e2e'), {
      env: {
        TAB_SSO_CLIENT_ID: CLIENT_ID,
        TAB_SSO_APP_ID_URI: APP_ID_URI,
        ENTRA_OPENID_METADATA_URL: `http://127.0.0.1:${String((entra.address() as AddressInfo).port)}/metadata`,
      },
    });
    token = await new SignJWT({ oid: STAFF.aadObjectId, tid: TENANT, name: STAFF.name, scp: 'access_as_user' })
      .setProtectedHeader({ alg: 'RS256', kid: 'tab-key' })
      .setIssuer(`https://sts.windows.net/${TENANT}/`)
      .setAudience(APP_ID_URI)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(pair.privateKey);
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1200, height: 1000 } });
  });

  after(async () => {
    await (browser as Browser | undefined)?.close();
    await running.close();
    await new Promise((resolve) => entra.close(resolve));
  });

  /** Opens the tab inside the stand-in Teams host, on the tab's own origin, with this theme and token. */
  async function openTab(
    theme: string,
    bearer: string | null,
    path = '/tab/',
    frameContext = 'content',
  ): Promise<{ page: Page; tab: Frame; problems: string[] }> {
    const page = await context.newPage();
    const problems = watch(page);
    const hostUrl = `${running.url}/test-teams-host`;
    const hostConfig = { frameContext, context: { theme, userObjectId: STAFF.aadObjectId, tid: TENANT } };
    await page.route(hostUrl, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body:
          `<!doctype html><html lang="en-GB"><title>Teams</title><body><script>window.teamsHostConfig = ${JSON.stringify(hostConfig)}; ` +
          `window.hostToken = ${JSON.stringify(bearer)};</script><script>${HOST_SCRIPT}</script>` +
          `<script>teamsHost.load(${JSON.stringify(path)});</script></body></html>`,
      }),
    );
    await page.goto(hostUrl);
    const element = await page.waitForSelector('#tab');
    const tab = (await element.contentFrame()) ?? assert.fail('the tab is framed');
    return { page, tab, problems };
  }

  /** What the page reported that matters: teams-js asking its CDN for valid domains is refused by the tab's CSP, and needs no answer. */
  function real(problems: readonly string[]): string[] {
    return problems.filter((problem) => !/res\.cdn\.office\.net|validDomains|Failed to load resource|Failed to fetch/.test(problem));
  }

  it('shows the queue, finds a case by email, opens it in full and makes a decision, in the dark theme', async () => {
    const { stored } = await running.app.stores.cases.lodge(
      lodgeRequest({ secondFactor: 'pat.browser@example.org', case: { contact: { email: 'pat.browser@example.org', phone: null, preferred: 'email' } } }),
    );
    const shown = formatReference(stored.case.reference);
    const { page, tab, problems } = await openTab('dark', token);
    await tab.getByText(`Signed in as ${STAFF.name}`).waitFor();
    assert.equal(await tab.evaluate(() => (globalThis as unknown as InTab).document.documentElement.className), 'theme-dark');
    await tab.getByRole('button', { name: `Open case ${shown}` }).waitFor();

    await tab.getByRole('button', { name: 'Unassigned' }).click();
    await tab.locator('[data-view="unassigned"][aria-pressed="true"]').waitFor();
    await tab.getByRole('button', { name: `Open case ${shown}` }).waitFor();

    // Found by email from the keyboard: typed in the search box, Enter to find.
    await tab.getByLabel('Find a case by reference, email or phone').fill('Pat.Browser@example.org');
    await tab.getByLabel('Find a case by reference, email or phone').press('Enter');
    await tab.getByText('1 found.').waitFor();
    await tab.getByRole('button', { name: `Open case ${shown}` }).focus();
    await page.keyboard.press('Enter');
    await tab.getByRole('heading', { name: new RegExp(`Case ${shown}`) }).waitFor();
    await tab.getByText('The social worker cancelled three visits without telling us and nobody called back.').waitFor();
    await tab.getByText('pat.browser@example.org').waitFor();
    assert.equal((await running.app.stores.cases.history(stored.case.reference)).at(-1)?.type, 'viewed', 'the opening is on the record');

    await tab.getByRole('button', { name: 'Assign to me' }).click();
    await tab.locator('#case-notice.good').waitFor();
    assert.equal((await running.app.stores.cases.get(stored.case.reference))?.case.handler?.id, STAFF.aadObjectId);

    await page.evaluate(() => {
      (globalThis as unknown as Host).teamsHost.setTheme('contrast');
    });
    await tab.waitForFunction(() => (globalThis as unknown as InTab).document.documentElement.className === 'theme-contrast');
    assert.deepEqual(real(problems), []);
    await page.close();
  });

  it('writes to the complainant only once its writer confirms, and gives a subject access export’s one-time link', async () => {
    const { stored } = await running.app.stores.cases.lodge(lodgeRequest());
    const reference = stored.case.reference;
    const shown = formatReference(reference);
    const { page, tab, problems } = await openTab('default', token);
    await tab.getByRole('button', { name: `Open case ${shown}` }).click();
    await tab.getByRole('heading', { name: new RegExp(`Case ${shown}`) }).waitFor();
    await tab.getByText('Reply to complainant').click();
    await tab.getByLabel('Your message to the complainant (shown in their chat)').fill('Could you send us the letter from the school?');
    await tab.getByRole('button', { name: 'Send to complainant' }).click();
    // Not confirmed: the browser holds the form back, and nothing is sent.
    const relayed = async () => (await running.app.stores.cases.history(reference)).filter((event) => event.type === 'message-relayed').length;
    await page.waitForTimeout(300);
    assert.equal(await relayed(), 0);
    await tab.getByLabel(/I have read it through/).check();
    await tab.getByRole('button', { name: 'Send to complainant' }).click();
    await tab.locator('#case-notice.good').waitFor();
    assert.match((await tab.locator('#case-notice').textContent()) ?? '', /Sent to the complainant/);
    assert.equal(await relayed(), 1);

    await tab.getByRole('button', { name: 'Subject access export' }).click();
    const link = tab.locator('#export-link');
    await link.waitFor();
    assert.match((await link.getAttribute('href')) ?? '', /\/api\/rights\/exports\/[A-Za-z0-9_-]{20,}$/);
    assert.deepEqual(real(problems), []);
    await page.close();
  });

  it('shows the figures for a period as tables, and downloads them and a view of the queue as CSV', async () => {
    const { page, tab } = await openTab('default', token);
    await tab.getByText(`Signed in as ${STAFF.name}`).waitFor();
    await tab.getByLabel('Procedure').selectOption('la-childrens-services');
    await tab.getByLabel('From').fill('2025-06-01');
    await tab.getByLabel('To').fill('2025-06-30');
    await tab.getByRole('button', { name: 'Show the figures' }).click();
    await tab.getByRole('table', { name: /2025-06-01 to 2025-06-30/ }).waitFor();
    await tab.getByRole('table', { name: 'Stage by stage' }).waitFor();
    // Three charts drawn, each a picture of a table beside it.
    const charts = await tab.evaluate(() => {
      const inPage = globalThis as unknown as {
        Chart: { getChart(canvas: unknown): { data: { datasets: { data: number[] }[] } } | undefined };
        document: { querySelectorAll(selector: string): ArrayLike<unknown> };
      };
      return Array.from(inPage.document.querySelectorAll('#figures-body canvas')).map(
        (canvas) => inPage.Chart.getChart(canvas)?.data.datasets[0]?.data.length ?? -1,
      );
    });
    assert.equal(charts.length, 3);
    assert.ok(
      charts.every((points) => points > 0),
      `every chart has its data: ${charts.join(', ')}`,
    );
    await tab.getByRole('table', { name: 'Received by month' }).waitFor();
    assert.deepEqual(await seriousProblems(tab), [], 'the figures and charts pass axe-core too');
    assert.match((await tab.getByRole('table', { name: /2025-06-01 to 2025-06-30/ }).textContent()) ?? '', /Received \(required: SI 2006\/1738 reg 13/);
    const [figures] = await Promise.all([page.waitForEvent('download'), tab.getByRole('button', { name: 'Download (CSV)' }).click()]);
    assert.equal(figures.suggestedFilename(), 'complaint-figures.csv');
    const [queue] = await Promise.all([page.waitForEvent('download'), tab.getByRole('button', { name: 'Download this view (CSV)' }).click()]);
    assert.equal(queue.suggestedFilename(), 'complaints-open.csv');
    await page.close();
  });

  for (const theme of ['default', 'dark', 'contrast']) {
    it(`has no serious or critical accessibility problems (axe-core) in the ${theme} theme, with a case open`, async () => {
      const { stored } = await running.app.stores.cases.lodge(lodgeRequest());
      const { page, tab, problems } = await openTab(theme, token);
      await tab
        .getByText(`Signed in as ${STAFF.name}`)
        .waitFor({ timeout: 5000 })
        .catch(() => {
          throw new Error(`the tab did not start: ${problems.join(' | ')}`);
        });
      await tab
        .getByRole('button', { name: `Open case ${formatReference(stored.case.reference)}` })
        .click({ timeout: 5000 })
        .catch(async () => {
          throw new Error(`no case: ${(await tab.locator('#status').textContent()) ?? ''} ${problems.join(' | ')}`);
        });
      await tab.getByRole('heading', { name: /^Case / }).waitFor();
      assert.deepEqual(await seriousProblems(tab), []);
      await page.close();
    });
  }

  it('is added to a channel from its configuration page, which tells Teams where the tab lives when saved', async () => {
    const { page, tab } = await openTab('default', null, '/tab/configure', 'settings');
    await tab.getByText(/Select Save to add the Complaints tab/).waitFor();
    await page.evaluate(() => {
      (globalThis as unknown as Host).teamsHost.save();
    });
    await page.waitForFunction(() => (globalThis as unknown as { teamsHost: { requests: string[] } }).teamsHost.requests.includes('settings.save.success'));
    const saved = await page.evaluate(
      () => (globalThis as unknown as { teamsHost: { settings: { contentUrl: string; entityId: string } } }).teamsHost.settings,
    );
    assert.equal(saved.contentUrl, `${running.url}/tab/`);
    assert.equal(saved.entityId, 'complaints-queue');
    await page.close();
  });

  it('says plainly when Teams cannot sign the member of staff in, and shows nothing', async () => {
    const { page, tab } = await openTab('default', null);
    await tab.getByText(/Teams could not sign you in to the tab/).waitFor();
    assert.equal(await tab.locator('#workspace').isHidden(), true);
    await page.close();
  });
});

describe('the staff tab outside Teams, in local development', function () {
  this.timeout(120_000);
  let running: TeamsTestApp;
  let browser: Browser;

  before(async () => {
    // No single sign-on configured: `npm start` with the staff side, as README's "Trying it" runs it.
    running = await startTeamsApp(uniquePrefix('tab-dev'));
    browser = await launchChromium();
  });

  after(async () => {
    await (browser as Browser | undefined)?.close();
    await running.close();
  });

  it('signs in as one of the configured staff and shows the queue', async () => {
    const { stored } = await running.app.stores.cases.lodge(lodgeRequest());
    const page = await browser.newPage();
    await page.goto(`${running.url}/tab/`);
    await page.getByText('Local development: sign in as one of the configured staff.').waitFor();
    await page.getByLabel('Sign in as').selectOption(STAFF.aadObjectId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: `Open case ${formatReference(stored.case.reference)}` }).waitFor();
    await page.close();
  });

  it('refuses a token for anyone not on the roster', async () => {
    const answer = await fetch(`${running.url}/api/tab/dev/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'bbbbbbbb-0000-0000-0000-000000000009' }),
    });
    assert.equal(answer.status, 403);
  });
});
