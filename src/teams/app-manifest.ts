/**
 * The Teams app manifest for this deployment: the template in `manifest/` with its ids and the
 * bot's domain filled in. Pure; `npm run manifest` (scripts/build-manifest.ts) reads the files,
 * checks the result against Microsoft's schema and packs the zip.
 */
import { z } from 'zod';
import type { ManifestConfig } from '../config/config.js';

/** A JSON object, such as the manifest and Microsoft's schema for it. */
export const jsonObjectSchema = z.record(z.string(), z.unknown());

/** A placeholder the template names but the configuration does not fill. */
export class UnfilledPlaceholder extends Error {
  override readonly name = 'UnfilledPlaceholder';
  constructor(readonly placeholder: string) {
    super(`The manifest template needs ${placeholder}, which is not set`);
  }
}

/** The manifest, as an object, from the template's text and the configuration. */
export function fillManifest(template: string, config: ManifestConfig): Record<string, unknown> {
  const origin = new URL(config.PUBLIC_URL);
  const values: Readonly<Record<string, string>> = {
    TEAMS_APP_ID: config.TEAMS_APP_ID,
    MicrosoftAppId: config.MicrosoftAppId,
    PUBLIC_URL: origin.origin,
    BOT_DOMAIN: origin.host,
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
