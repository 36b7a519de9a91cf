/**
 * Static assets for the embed pages, served by this server only (no CDN): Vega and vega-embed from the
 * installed packages (the pages receive Vega specs compiled on the server, so the Vega-Lite compiler is not
 * shipped: 67 KiB less), the embed script and stylesheet, and the workspace's grid paste script. Loaded into memory at start, compressed on first
 * demand (brotli and gzip) and kept, served with a content-addressed URL and `Cache-Control: immutable`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { EmbedAssets } from '../../dashboards/embed-page.ts';
import { compressedBody, preferredEncoding, type Compressible } from '../cache/compression.ts';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

interface Asset extends Compressible {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** A file of an installed package, and the package's version (some packages do not export package.json). */
function packageFile(pkg: string, file: string): { path: string; version: string } {
  let dir = path.dirname(require.resolve(pkg));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) {
      const meta = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version: string };
      if (meta.name === pkg) return { path: path.join(dir, file), version: meta.version };
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the package folder of ${pkg}`);
    dir = parent;
  }
}

function load(file: string, contentType: string): Asset {
  const body = readFileSync(file);
  return { body, contentType, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}

/** Builds the asset table once per process (compression takes a moment). */
interface AssetTable {
  byName: Map<string, Asset>;
  urls: EmbedAssets;
  /** The workspace's scripts (progressive enhancement only: every page works without them). */
  workspace: { gridPaste: string };
}
let cached: AssetTable | null = null;
export function embedAssets(): AssetTable {
  if (cached) return cached;
  const byName = new Map<string, Asset>();
  const add = (name: string, asset: Asset) => {
    byName.set(name, asset);
    return `/assets/${name}`;
  };
  const vega = packageFile('vega', 'build/vega.min.js');
  const vegaEmbed = packageFile('vega-embed', 'build/vega-embed.min.js');
  const ownDir = path.resolve(here, '../../dashboards/assets');
  const own = (file: string, type: string) => {
    const asset = load(path.join(ownDir, file), type);
    const [base, ext] = file.split('.');
    return add(`${base}-${asset.etag.slice(1, 11)}.${ext}`, asset);
  };
  const js = 'text/javascript; charset=utf-8';
  const urls: EmbedAssets = {
    scripts: [
      add(`vega-${vega.version}.min.js`, load(vega.path, js)),
      add(`vega-embed-${vegaEmbed.version}.min.js`, load(vegaEmbed.path, js)),
      own('embed.js', js),
    ],
    stylesheet: own('embed.css', 'text/css; charset=utf-8'),
    fonts: {
      regular: own('source-sans-3-regular.woff2', 'font/woff2'),
      semibold: own('source-sans-3-semibold.woff2', 'font/woff2'),
    },
  };
  cached = { byName, urls, workspace: { gridPaste: own('grid-paste.js', js) } };
  return cached;
}

async function assetsPlugin(app: FastifyInstance): Promise<void> {
  const { byName } = embedAssets();
  app.get('/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const asset = byName.get((request.params as { name: string }).name);
    if (!asset) {
      return reply.code(404).send({ error: { code: 'not_found', message: 'No such asset', details: [] } });
    }
    reply
      .header('Content-Type', asset.contentType)
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('ETag', asset.etag)
      .header('Vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    const encoding = preferredEncoding(request.headers['accept-encoding'], asset.body.length);
    if (encoding) return reply.header('Content-Encoding', encoding).send(await compressedBody(asset, encoding, 'max'));
    return reply.send(asset.body);
  });
}

export const assets = fp(assetsPlugin, { name: 'assets' });
