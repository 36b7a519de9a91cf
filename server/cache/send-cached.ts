/**
 * Serves a dashboard response from the pre-serialised cache, or computes and caches it.
 *
 * - `ETag` is strong (a hash of the body) and `If-None-Match` answers 304;
 * - anonymous requests only ever get public data, so their answers may be cached by a CDN or browser for a
 *   minute (`public, max-age=60, stale-while-revalidate=300`); answers to token holders may include private
 *   objects and are `private, no-cache`; `Vary: Authorization` keeps the two apart;
 * - entries are keyed by audience (public, or one initiative's members) so private content never reaches
 *   the public cache.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { seesPrivate } from '../auth/visibility.ts';
import { bestCompressed, compressedBody, preferredEncoding } from './compression.ts';
import type { CachedResponse, ResponseCache } from './response-cache.ts';

export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, s-maxage=60, stale-while-revalidate=300';
export const PRIVATE_CACHE_CONTROL = 'private, no-cache';

export function audienceOf(request: FastifyRequest): string {
  return seesPrivate(request) ? `members:${request.anchor!.initiativeId}` : 'public';
}

export async function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: ResponseCache,
  key: string,
  compute: () => Promise<{
    body: string | Buffer;
    contentType: string;
    compressible?: boolean;
    headers?: Record<string, string>;
    allowFraming?: boolean;
  }>,
): Promise<FastifyReply> {
  const audience = audienceOf(request);
  const fullKey = `${audience} ${key}`;
  const entry = await cache.getOrCompute(fullKey, compute);
  const anonymous = audience === 'public' && request.principal.kind === 'anonymous';
  if (anonymous) cache.rememberPublicUrl(request.url, fullKey);
  return writeCached(request, reply, entry, anonymous);
}

/** A cached public answer ready to write in one encoding: the body and the complete header list. */
interface Prepared {
  body: Buffer | string;
  headers: string[];
}

/**
 * The body and the complete header list of a cached public answer in one encoding, built once: Node writes
 * a flat [name, value, …] list faster than it walks an object, which counts on the hottest path. A
 * compressed body is made in the thread pool at the fast level (compression.ts; requests that come
 * meanwhile wait for the same one); being served from here means the answer is asked for again and again,
 * so it is then compressed once more at the best level, also off the event loop, and that replaces it.
 */
function preparedResponse(entry: CachedResponse, encoding: 'br' | 'gzip' | 'identity'): Prepared | Promise<Prepared> {
  entry.prepared ??= {};
  const ready = entry.prepared[encoding];
  if (ready) return ready;
  if (encoding === 'identity') return (entry.prepared.identity = withHeaders(entry, entry.body, null));
  return compressedBody(entry, encoding, 'fast').then((body) => {
    let prepared = entry.prepared![encoding];
    if (prepared) return prepared; // another request of the same wait got here first
    prepared = entry.prepared![encoding] = withHeaders(entry, body, encoding);
    bestCompressed(entry.body, encoding)?.then(
      (best) => {
        if (best.length >= body.length) return;
        entry.encoded![encoding] = best;
        entry.prepared![encoding] = withHeaders(entry, best, encoding);
      },
      () => {}, // the fast body stays; nothing is lost
    );
    return prepared;
  });
}

function withHeaders(
  entry: CachedResponse,
  body: Buffer | string,
  encoding: 'br' | 'gzip' | null,
): { body: Buffer | string; headers: string[] } {
  const headers = Object.entries(entry.publicHeaders ?? {}).flatMap(([name, value]) =>
    Array.isArray(value) ? value.flatMap((v) => [name, String(v)]) : [name, String(value)],
  );
  if (encoding) headers.push('content-encoding', encoding);
  headers.push('content-length', String(Buffer.byteLength(body)));
  return { body, headers };
}

/** Security headers that only mean something for a document (HTML, SVG) a browser renders. */
const DOCUMENT_ONLY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-frame-options',
  'referrer-policy',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

/** Headers that belong to one response, never replayed from a cached one. */
const PER_RESPONSE_HEADERS = new Set([
  'content-length',
  'content-encoding',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);

/**
 * The fast path for public reads, the first onRequest hook: an anonymous GET of a URL answered before, at
 * the current change generation, is written straight from the cache with the headers the first answer
 * had — no access lookup, validation, handler or header hooks (they ran for the first answer, and any
 * change since moved the generation). Answers served this way are not counted by the rate limit: they
 * cost next to nothing, and every uncached request still is.
 */
export function publicFastPath(cache: ResponseCache) {
  return function servePublicFromCache(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    if (request.method !== 'GET' || request.headers.authorization) return done();
    const entry = cache.getByPublicUrl(request.url);
    if (!entry?.publicHeaders) return done();
    reply.hijack();
    const raw = reply.raw;
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag)) {
      raw.writeHead(304, entry.publicHeaders);
      raw.end();
      return;
    }
    const prepared = preparedResponse(entry, encodingFor(request, entry) ?? 'identity');
    if (!(prepared instanceof Promise)) return write(prepared);
    // Compressed once, in the thread pool; should that fail, the body goes as it is.
    prepared.catch(() => preparedResponse(entry, 'identity') as Prepared).then(write, () => raw.destroy());
    function write({ headers, body }: Prepared): void {
      raw.writeHead(200, headers);
      raw.end(body);
    }
  };
}

/** The encoding to send a cached body in; null = as it is (small, or compressed already, like a PNG). */
function encodingFor(request: FastifyRequest, entry: CachedResponse): 'br' | 'gzip' | null {
  if (entry.compressible === false) return null;
  return preferredEncoding(request.headers['accept-encoding'], entry.body.length);
}

async function writeCached(
  request: FastifyRequest,
  reply: FastifyReply,
  entry: CachedResponse,
  anonymous: boolean,
): Promise<FastifyReply> {
  reply
    .header('ETag', entry.etag)
    .header('Cache-Control', anonymous ? PUBLIC_CACHE_CONTROL : PRIVATE_CACHE_CONTROL)
    .header('Vary', 'Authorization, Accept-Encoding');
  for (const [name, value] of Object.entries(entry.headers ?? {})) reply.header(name, value);
  if (entry.allowFraming) reply.raw.removeHeader('X-Frame-Options');
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag)) {
    return reply.code(304).send();
  }
  reply.header('Content-Type', entry.contentType);
  // A JSON answer is data, never a document a browser renders or frames: the headers that govern documents
  // are noise there (and every byte counts on the hottest path). nosniff, HSTS, CORP and CORS stay.
  if (entry.contentType.startsWith('application/json'))
    for (const name of DOCUMENT_ONLY_HEADERS) reply.removeHeader(name);
  if (anonymous && !entry.publicHeaders) {
    entry.publicHeaders = Object.fromEntries(
      Object.entries(reply.getHeaders()).filter(
        ([name, value]) =>
          value !== undefined &&
          !PER_RESPONSE_HEADERS.has(name.toLowerCase()) &&
          !name.toLowerCase().startsWith('x-ratelimit'),
      ),
    ) as Record<string, string | string[] | number>;
  }
  const encoding = encodingFor(request, entry);
  // In the thread pool (compression.ts): a large answer's compression is no longer time the loop stands still.
  if (encoding) return reply.header('Content-Encoding', encoding).send(await compressedBody(entry, encoding, 'fast'));
  return reply.send(entry.body);
}
