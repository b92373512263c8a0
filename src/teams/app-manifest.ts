/**
 * The Teams app manifest for this deployment: the template in `manifest/` with its ids and the
 * bot's domain filled in. Pure; `npm run manifest` (scripts/build-manifest.ts) reads the files,
 * checks the result against Microsoft's schema and packs the zip.
 */
import { z } from 'zod';
import type { ManifestConfig } from '../config/config.js';
import { TEAMS_TERMS_PATH } from '../web/web-assets.js';

/** A JSON object, such as the manifest and Microsoft's schema for it. */
export const jsonObjectSchema = z.record(z.string(), z.unknown());

/** A placeholder the template names but the configuration does not fill. */
export class UnfilledPlaceholder extends Error {
  override readonly name = 'UnfilledPlaceholder';
  constructor(readonly placeholder: string) {
    super(`The manifest template needs ${placeholder}, which is not set`);
  }
}

/** A version Teams accepts for an app package (semver's major.minor.patch). */
const APP_VERSION = /^\d+\.\d+\.\d+$/;

/** The package's version is not one a Teams manifest can carry. */
export class UnsuitableVersion extends Error {
  override readonly name = 'UnsuitableVersion';
  constructor(readonly version: string) {
    super(`The app's version must be major.minor.patch (from package.json) for Teams, not "${version}"`);
  }
}

/**
 * The manifest, as an object, from the template's text, the configuration and the app's version
 * (package.json's: a new package then uploads over the old one without editing anything).
 */
export function fillManifest(template: string, config: ManifestConfig, version: string): Record<string, unknown> {
  if (!APP_VERSION.test(version)) throw new UnsuitableVersion(version);
  const url = new URL(config.PUBLIC_URL);
  // The bot's address as configured, path included (it may be served under one), without a final slash.
  const publicUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  const values: Readonly<Record<string, string>> = {
    APP_VERSION: version,
    TEAMS_APP_ID: config.TEAMS_APP_ID,
    MicrosoftAppId: config.MicrosoftAppId,
    PUBLIC_URL: publicUrl,
    TERMS_OF_USE_URL: config.TERMS_OF_USE_URL ?? `${publicUrl}${TEAMS_TERMS_PATH}`,
    BOT_DOMAIN: url.host,
    SERVICE_ORGANISATION: config.SERVICE_ORGANISATION,
    PRIVACY_NOTICE_URL: config.PRIVACY_NOTICE_URL,
  };
  // Values are put in as JSON string contents, so a quote in a name cannot break the document.
  const filled = template.replace(/\{\{([A-Za-z_]+)\}\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new UnfilledPlaceholder(name);
    return JSON.stringify(value).slice(1, -1);
  });
  return jsonObjectSchema.parse(JSON.parse(filled));
}
