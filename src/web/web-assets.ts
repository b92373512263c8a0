/**
 * The widget's files, read once at start-up: the page and the embeddable frame (with the
 * organisation's details filled in, HTML-escaped), the script and style sheet, the embed script,
 * and Web Chat's browser bundle from the installed package (no CDN: the machine may be offline).
 * Each is kept with a gzip copy, so the 2 MB bundle goes out at about a quarter of that. Pages
 * name each file with its version (`?v=`), so browsers may keep the files for a year and a new
 * release is fetched at once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ServiceDetails } from '../ports/service-details.js';

/** One file as served. */
export interface WebAsset {
  readonly body: Buffer;
  readonly gzipped: Buffer;
  readonly contentType: string;
  readonly etag: string;
  /** HTML pages get the page security headers. */
  readonly page: boolean;
  /** What pages put after `?v=` when they name this file: a request for this version may be kept for a year. */
  readonly version: string;
}

/** Where the Teams app's terms of use are served. */
export const TEAMS_TERMS_PATH = '/teams-app/terms';

/** Where the staff tab's page is served (its manifest entries point here). */
export const TAB_PATH = '/tab/';

/** Served paths and their files. */
export type WebAssets = ReadonlyMap<string, WebAsset>;

/** Text safe inside HTML, in content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * A page template with `{{name}}` filled in from the organisation's details, and
 * `{{version:/widget/app.js}}` with a served file's version.
 */
export function renderPage(template: string, service: ServiceDetails, versions: ReadonlyMap<string, string> = new Map()): string {
  const values: Readonly<Record<string, string>> = {
    organisation: service.organisation,
    serviceDeskPhone: service.serviceDesk.phone,
    serviceDeskHours: service.serviceDesk.hours,
    serviceDeskEmail: service.serviceDesk.email,
  };
  return template.replace(/\{\{(version:[\w/.-]+|\w+)\}\}/g, (whole, name: string) => {
    const value = name.startsWith('version:') ? versions.get(name.slice('version:'.length)) : values[name];
    if (value === undefined) throw new Error(`The page template uses an unknown value: ${whole}`);
    return escapeHtml(value);
  });
}

function asset(body: Buffer, contentType: string, page = false): WebAsset {
  const hash = createHash('sha256').update(body).digest('base64url');
  return { body, gzipped: gzipSync(body, { level: 9 }), contentType, etag: `"${hash.slice(0, 27)}"`, page, version: hash.slice(0, 12) };
}

/**
 * Where Web Chat's browser bundle is installed (its package's `exports` hide the path from
 * `require`). The minimal bundle: half the size of the full one, without Adaptive Cards, speech
 * or a Markdown library, none of which the public chat uses (start.js renders the bot's Markdown).
 * On these machines the full bundle took about 2 s to run before the chat could start.
 */
function webChatBundlePath(): string {
  return join(dirname(dirname(require.resolve('botframework-webchat'))), 'dist', 'webchat-minimal.js');
}

/** The Teams JavaScript client library's browser bundle, as installed. */
function teamsJsBundlePath(): string {
  return join(dirname(require.resolve('@microsoft/teams-js/package.json')), 'dist', 'umd', 'MicrosoftTeams.min.js');
}

/** Reads the widget's files (from beside this module in dist/) for an organisation. */
export function loadWebAssets(service: ServiceDetails, publicDir = join(__dirname, 'public')): WebAssets {
  const read = (name: string): Buffer => readFileSync(join(publicDir, name));
  const files = new Map<string, WebAsset>([
    ['/widget/start.js', asset(read('start.js'), 'text/javascript; charset=utf-8')],
    ['/widget/app.js', asset(read('app.js'), 'text/javascript; charset=utf-8')],
    ['/widget/embed.js', asset(read('embed.js'), 'text/javascript; charset=utf-8')],
    ['/widget/widget.css', asset(read('widget.css'), 'text/css; charset=utf-8')],
    ['/widget/webchat.js', asset(readFileSync(webChatBundlePath()), 'text/javascript; charset=utf-8')],
    // The staff tab (inside Teams), with teams-js from the installed package.
    ['/tab/tab.js', asset(read('tab/tab.js'), 'text/javascript; charset=utf-8')],
    ['/tab/tab.css', asset(read('tab/tab.css'), 'text/css; charset=utf-8')],
    ['/tab/configure.js', asset(read('tab/configure.js'), 'text/javascript; charset=utf-8')],
    ['/tab/teams.js', asset(readFileSync(teamsJsBundlePath()), 'text/javascript; charset=utf-8')],
    ['/tab/chart.js', asset(readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js')), 'text/javascript; charset=utf-8')],
  ]);
  const versions = new Map([...files].map(([path, file]) => [path, file.version]));
  const page = (name: string): WebAsset => asset(Buffer.from(renderPage(read(name).toString('utf8'), service, versions)), 'text/html; charset=utf-8', true);
  return new Map<string, WebAsset>([
    ['/', page('index.html')],
    ['/widget/frame.html', page('frame.html')],
    // The terms of use the Teams app's manifest names (Teams requires one), unless TERMS_OF_USE_URL names the organisation's own.
    [TEAMS_TERMS_PATH, page('teams-terms.html')],
    [TAB_PATH, page('tab/index.html')],
    [`${TAB_PATH}configure`, page('tab/configure.html')],
    ...files,
  ]);
}
