/**
 * Pre-serialised responses of the dashboard routes (specs, SVG, embed pages), keyed by route, object,
 * query and audience. An entry is served while the change generation has not moved, the generation is
 * trusted (this instance hears other instances' writes) and the entry is younger than `maxAgeMs` (10 s: the
 * bound on staleness should all else fail). Bounded: least recently used entries go first.
 */
import { createHash } from 'node:crypto';
import type { ChangeGeneration } from './change-generation.ts';

export interface CachedResponse {
  /** Text (specs, SVG, pages) or bytes (PNG). */
  body: string | Buffer;
  /** False for bodies already compressed (PNG): sent as they are whatever the client accepts. */
  compressible?: boolean;
  contentType: string;
  /** Strong ETag: a hash of the body. */
  etag: string;
  headers?: Record<string, string>;
  /** Pages made to sit in other sites' iframes: no X-Frame-Options (their CSP says who may frame them). */
  allowFraming?: boolean;
  /**
   * Every header of the first anonymous answer (security headers, CORS…) but the per-response ones, so the
   * fast path can replay them without running the hooks that set them.
   */
  publicHeaders?: Record<string, string | string[] | number>;
  /** Ready-to-write answers of the public fast path, per encoding. */
  prepared?: Partial<Record<'br' | 'gzip' | 'identity', { body: Buffer | string; headers: string[] }>>;
  /** Compressed forms of the body, made on first demand. */
  encoded?: Partial<Record<'br' | 'gzip', Buffer>>;
}

interface Entry extends CachedResponse {
  generation: number;
  storedAt: number;
}

export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  /** Request URLs (as anonymous visitors sent them) → entry keys, for the fast path of public reads. */
  readonly #publicUrls = new Map<string, string>();
  /** Computations under way, by generation and key: concurrent misses share one (see `getOrCompute`). */
  readonly #computing = new Map<string, Promise<CachedResponse>>();
  /**
   * Look-ups since start, for the metrics (plugins/metrics.ts): `get` counts a hit or a miss,
   * `getByPublicUrl` only the hits the public fast path serves.
   */
  readonly counts = { hits: 0, misses: 0 };

  constructor(
    private readonly generation: ChangeGeneration,
    private readonly options: { maxEntries: number; maxAgeMs: number } = { maxEntries: 2_000, maxAgeMs: 10_000 },
  ) {}

  get(key: string, now = Date.now()): CachedResponse | undefined {
    const entry = this.#fresh(key, now);
    if (entry) this.counts.hits++;
    else this.counts.misses++;
    return entry;
  }

  #fresh(key: string, now: number): CachedResponse | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (
      !this.generation.trusted ||
      entry.generation !== this.generation.value ||
      now - entry.storedAt > this.options.maxAgeMs
    ) {
      this.#entries.delete(key);
      return undefined;
    }
    // Refresh its place in the LRU order.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  /** Stores a body computed at `generationAtStart` (the generation read before computing it). */
  set(
    key: string,
    response: Omit<CachedResponse, 'etag'>,
    generationAtStart: number,
    now = Date.now(),
  ): CachedResponse {
    const cached: Entry = {
      ...response,
      etag: strongEtag(response.body),
      generation: generationAtStart,
      storedAt: now,
    };
    // A write that happened while we computed makes the result stale already: serve it, don't keep it.
    if (generationAtStart === this.generation.value) {
      this.#entries.set(key, cached);
      while (this.#entries.size > this.options.maxEntries) {
        const oldest = this.#entries.keys().next().value;
        if (oldest === undefined) break;
        this.#entries.delete(oldest);
      }
    }
    return cached;
  }

  /**
   * The fresh entry under `key`, or the one `compute` makes. Requests that miss at the same time (an expired
   * popular chart under load) share one computation instead of each starting its own; one that arrives
   * after the generation moved starts a new one, so nobody is answered from data older than their request.
   */
  getOrCompute(key: string, compute: () => Promise<Omit<CachedResponse, 'etag'>>): Promise<CachedResponse> {
    const hit = this.get(key);
    if (hit) return Promise.resolve(hit);
    const generation = this.generation.value;
    const flightKey = `${generation} ${key}`;
    let flight = this.#computing.get(flightKey);
    if (!flight) {
      flight = compute()
        .then((response) => this.set(key, response, generation))
        .finally(() => this.#computing.delete(flightKey));
      this.#computing.set(flightKey, flight);
    }
    return flight;
  }

  /** Remembers that an anonymous request for `url` was answered with the entry under `key`. */
  rememberPublicUrl(url: string, key: string): void {
    if (this.#publicUrls.size >= this.options.maxEntries) this.#publicUrls.clear();
    this.#publicUrls.set(url, key);
  }

  /**
   * The fresh entry an anonymous request for `url` was last answered with, if any. Counted as a hit when the
   * fast path can serve it (it has the first answer's headers); otherwise the `get` that follows counts.
   */
  getByPublicUrl(url: string, now = Date.now()): CachedResponse | undefined {
    const key = this.#publicUrls.get(url);
    const entry = key === undefined ? undefined : this.#fresh(key, now);
    if (entry?.publicHeaders) this.counts.hits++;
    return entry;
  }

  /** The current change generation: read it before computing an entry, pass it to `set`. */
  get generationValue(): number {
    return this.generation.value;
  }

  get size(): number {
    return this.#entries.size;
  }
}

export function strongEtag(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}
