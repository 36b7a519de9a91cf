/**
 * Configuration: one zod schema over the environment (README, "Configuration"). `loadConfig` is pure, so
 * tests pass their own environment; a missing or malformed variable stops the start with its name.
 */
import { z } from 'zod';

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for the embedded PGlite database)')
    .optional(),
  DATABASE_LISTEN_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (a direct connection, not through a pooler)')
    .optional(),
  DATABASE_READ_URL: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^postgres(ql)?:\/\//, 'each must be a postgres:// URL of a hot standby')
            .refine((u) => URL.canParse(u), 'each must be a postgres:// URL of a hot standby'),
        )
        .min(1, 'must name at least one postgres:// URL'),
    )
    .optional(),
  PGLITE_DIR: z.string().min(1).default('./data/pglite'),
  SEED_DEMO: booleanFlag.optional(),
  RBA_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx): TrustProxy => {
      const value = v.trim();
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      if (['true', 'yes', 'on'].includes(value)) return true;
      if (/^[1-9]\d?$/.test(value)) return Number(value);
      const addresses = value.split(',').map((a) => a.trim());
      if (addresses.every((a) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a))) return addresses;
      ctx.addIssue({
        code: 'custom',
        message: 'must be false, true, a number of proxy hops, or comma-separated proxy addresses/CIDRs',
      });
      return z.NEVER;
    }),
  PUBLIC_URL: z
    .string()
    .transform((v, ctx) => {
      const url = URL.canParse(v.trim()) ? new URL(v.trim()) : null;
      if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an http(s) URL without query or fragment, e.g. https://rba.example.org',
        });
        return z.NEVER;
      }
      // Serialised by URL: whatever was written, the result is percent-encoded (no quotes or angle brackets).
      return url.origin + url.pathname.replace(/\/+$/, '');
    })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  CORS_WRITE_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'each origin must look like https://host[:port]'))),
  METRICS: booleanFlag.default(false),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
});

/**
 * Which proxies' `X-Forwarded-For` to believe for the client's address (rate limits, logs): none (default: a
 * client could claim any address), every one (`true`), the nearest N hops, or the given addresses/CIDRs.
 */
export type TrustProxy = boolean | number | string[];

/**
 * PostgreSQL: `url` for queries (may go through a pooler such as PgBouncer in transaction mode) and, when set,
 * `listenUrl`, a direct connection for the change feed's LISTEN (a pooler in transaction mode cannot hold one),
 * and `readUrls`, hot standbys for anonymous reads (server/database-replicas.ts).
 */
export type DatabaseConfig =
  { kind: 'postgres'; url: string; listenUrl?: string; readUrls?: string[] } | { kind: 'pglite'; dataDir: string };

/** `/metrics` (Prometheus text format): served only when enabled; with a token, only to `Bearer <token>`. */
export interface MetricsConfig {
  enabled: boolean;
  token: string | null;
}

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** Load the demo initiative into an empty database at start. */
  seedDemo: boolean;
  adminToken: string | null;
  rateLimitPerMinute: number;
  /** The proxies in front of the server whose `X-Forwarded-For` is believed (see {@link TrustProxy}). */
  trustProxy: TrustProxy;
  /**
   * The address people reach this server at (`https://rba.example.org`), for absolute links in embed snippets;
   * null: built from HOST and PORT. Never taken from a request's Host header.
   */
  publicUrl: string | null;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  /** Largest JSON body accepted, in bytes (413 above it). */
  bodyLimitBytes: number;
  /** Browser origins allowed to write through CORS (reads are open to any origin). */
  corsWriteOrigins: string[];
  /** METRICS and METRICS_TOKEN. */
  metrics: MetricsConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration from an environment. Empty strings count as unset.
 *
 * @example loadConfig({}) // { port: 3000, host: '127.0.0.1', database: { kind: 'pglite', dataDir: './data/pglite' }, seedDemo: true, … }
 * @example loadConfig({ PORT: 'abc' }) // throws ConfigError: "PORT: Invalid input: expected number, received NaN"
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.DATABASE_LISTEN_URL && !e.DATABASE_URL)
    throw new ConfigError('Invalid configuration: DATABASE_LISTEN_URL: needs DATABASE_URL (it is for PostgreSQL only)');
  if (e.DATABASE_READ_URL && !e.DATABASE_URL)
    throw new ConfigError(
      'Invalid configuration: DATABASE_READ_URL: needs DATABASE_URL (replicas follow a PostgreSQL primary)',
    );
  const database: DatabaseConfig = e.DATABASE_URL
    ? {
        kind: 'postgres',
        url: e.DATABASE_URL,
        ...(e.DATABASE_LISTEN_URL && { listenUrl: e.DATABASE_LISTEN_URL }),
        ...(e.DATABASE_READ_URL && { readUrls: e.DATABASE_READ_URL }),
      }
    : { kind: 'pglite', dataDir: e.PGLITE_DIR };
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    seedDemo: e.SEED_DEMO ?? database.kind === 'pglite',
    adminToken: e.RBA_ADMIN_TOKEN ?? null,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    publicUrl: e.PUBLIC_URL ?? null,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    corsWriteOrigins: e.CORS_WRITE_ORIGINS,
    metrics: { enabled: e.METRICS, token: e.METRICS_TOKEN ?? null },
  };
}
