/**
 * `npm run manifest`: builds the Teams app package to upload. Fills `manifest/manifest.template.json`
 * from the environment (TEAMS_APP_ID, MicrosoftAppId, PUBLIC_URL, SERVICE_ORGANISATION,
 * PRIVACY_NOTICE_URL), checks it against Microsoft's manifest schema for its version (shipped in
 * @microsoft/app-manifest, so no network is needed), checks the icons' sizes, and writes
 * dist/manifest/complaints-desk.zip. Exits with status 2 and a message naming the problem.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import yazl from 'yazl';
import { z } from 'zod';
import { InvalidConfiguration, loadManifestConfig } from '../src/config/config.js';
import { fillManifest, jsonObjectSchema, UnfilledPlaceholder } from '../src/teams/app-manifest.js';

const ROOT = join(__dirname, '..', '..');
export const MANIFEST_DIR = join(ROOT, 'manifest');
const PACKAGE_PATH = join(ROOT, 'dist', 'manifest', 'complaints-desk.zip');

/** The icons Teams requires, and their sizes. */
export const ICONS = { 'color.png': 192, 'outline.png': 32 } as const;

/** Width and height of a PNG, from its header. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.toString('latin1', 1, 4) !== 'PNG') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The app's version: package.json's, so each release's package uploads over the last. */
export function appVersion(): string {
  return z.object({ version: z.string() }).parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))).version;
}

/** Microsoft's schema for the manifest's version, from the installed package. */
function schemaFor(manifest: Record<string, unknown>): Record<string, unknown> {
  const version = String(manifest['manifestVersion']);
  if (!/^1\.\d+$/.test(version)) throw new Error(`unsupported manifestVersion ${version}`);
  const path = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
  return jsonObjectSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** The problems with a manifest, by Microsoft's schema (empty when it is valid). */
export async function manifestProblems(manifest: Record<string, unknown>): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(manifest as never, schemaFor(manifest) as never);
}

/** Builds and checks the package; returns the manifest written. */
export async function buildPackage(env: Readonly<Record<string, string | undefined>>, output = PACKAGE_PATH): Promise<Record<string, unknown>> {
  const manifest = fillManifest(readFileSync(join(MANIFEST_DIR, 'manifest.template.json'), 'utf8'), loadManifestConfig(env), appVersion());
  const problems = await manifestProblems(manifest);
  if (problems.length > 0) throw new Error(`The manifest does not match Microsoft's schema:\n  ${problems.join('\n  ')}`);
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), 'manifest.json', { compress: false });
  for (const [name, size] of Object.entries(ICONS)) {
    const icon = readFileSync(join(MANIFEST_DIR, name));
    const actual = pngSize(icon);
    if (actual.width !== size || actual.height !== size) throw new Error(`${name} must be ${size}x${size} pixels, not ${actual.width}x${actual.height}`);
    zip.addBuffer(icon, name, { compress: false });
  }
  mkdirSync(dirname(output), { recursive: true });
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(output)).on('close', resolve).on('error', reject);
    zip.end();
  });
  return manifest;
}

if (require.main === module) {
  buildPackage(process.env).then(
    () => {
      process.stdout.write(`Wrote ${PACKAGE_PATH}\nUpload it in Teams: Apps > Manage your apps > Upload an app (or through the Teams admin centre).\n`);
    },
    (error: unknown) => {
      const message = error instanceof InvalidConfiguration || error instanceof UnfilledPlaceholder || error instanceof Error ? error.message : String(error);
      process.stderr.write(`${message}\n`);
      process.exitCode = 2;
    },
  );
}
