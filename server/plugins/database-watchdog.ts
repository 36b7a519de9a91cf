/**
 * Answers 503 within two seconds when the database stops answering (a network partition: connections are
 * accepted, nothing comes back), instead of holding the request until the query's own 60 s limit.
 *
 * A request still unanswered after `afterMs` triggers a probe on a fresh connection (at most one probe at a
 * time, its verdict kept for a second). A healthy database answers the probe at once and the slow request
 * carries on — long imports are not cut; a silent one fails the probe within `probeTimeoutMs` and the request
 * gets 503 with `Retry-After`. When the database comes back, probes succeed and requests flow again.
 *
 * The clock stops while the request's body arrives (preParsing → preValidation): a slow upload is the
 * client's pace, not the database's silence (counting it answered 503 to a batch still uploading on a busy
 * machine, while the batch then committed).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface WatchdogOptions {
  /** Resolves when the database answers a trivial query on a fresh connection. */
  probe: () => Promise<void>;
  afterMs?: number;
  probeTimeoutMs?: number;
}

const VERDICT_TTL_MS = 1_000;

async function watchdogPlugin(app: FastifyInstance, options: WatchdogOptions): Promise<void> {
  const afterMs = options.afterMs ?? 1_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 700;
  let verdict: { at: number; healthy: boolean } | null = null;
  let inFlight: Promise<boolean> | null = null;

  const databaseAnswers = (): Promise<boolean> => {
    if (verdict && Date.now() - verdict.at < VERDICT_TTL_MS) return Promise.resolve(verdict.healthy);
    inFlight ??= new Promise<boolean>((resolve) => {
      const cancel = afterResponsiveMs(probeTimeoutMs, () => resolve(false));
      options.probe().then(
        () => {
          cancel();
          resolve(true);
        },
        () => {
          cancel();
          resolve(false);
        },
      );
    }).then((healthy) => {
      verdict = { at: Date.now(), healthy };
      inFlight = null;
      return healthy;
    });
    return inFlight;
  };

  const timers = new WeakMap<FastifyRequest, NodeJS.Timeout>();
  const disarm = (request: FastifyRequest) => {
    clearTimeout(timers.get(request));
    timers.delete(request);
  };
  const arm = (request: FastifyRequest, reply: FastifyReply) => {
    disarm(request);
    // /readyz is itself a probe with its own time limit: one answer, from it.
    const path = request.url.split('?', 1)[0];
    if (path === '/healthz' || path === '/readyz') return;
    const timer = setTimeout(() => {
      // A body still arriving (a streamed import spooling its upload) is the client's pace: look again later.
      if (request.raw.complete === false) return arm(request, reply);
      void databaseAnswers().then((healthy) => {
        if (healthy || reply.sent) return;
        reply
          .code(503)
          .header('Retry-After', '5')
          .send({
            error: {
              code: 'database_unavailable',
              message: 'The database is not answering right now; retry shortly.',
              details: [],
            },
          });
      });
    }, afterMs);
    timer.unref();
    timers.set(request, timer);
  };
  // Armed while the server waits for the database (access look-ups, the handler); not while the body arrives.
  app.addHook('onRequest', async (request, reply) => arm(request, reply));
  app.addHook('preParsing', async (request) => disarm(request));
  app.addHook('preValidation', async (request, reply) => arm(request, reply));
  app.addHook('onResponse', async (request) => disarm(request));
  app.addHook('onRequestAbort', async (request) => disarm(request));
}

/**
 * Calls `onTimeout` once `ms` of time has passed during which this process could have read the probe's
 * answer. Time while the event loop is blocked (a large batch being parsed on a busy machine) does not
 * count: the probe's reply may be sitting unread, and a plain timer fired then judged a healthy database
 * silent. Counted in ticks of 50 ms, each credited at most 100 ms; returns a cancel function.
 *
 * @example afterResponsiveMs(700, fail) // a free loop: fail() after ~700 ms; a loop blocked 2 s meanwhile: after ~2.6 s
 */
function afterResponsiveMs(ms: number, onTimeout: () => void): () => void {
  const TICK_MS = 50;
  let credited = 0;
  let last = performance.now();
  let timer: NodeJS.Timeout;
  const tick = () => {
    const now = performance.now();
    credited += Math.min(now - last, 2 * TICK_MS);
    last = now;
    if (credited >= ms) onTimeout();
    else timer = setTimeout(tick, TICK_MS);
  };
  timer = setTimeout(tick, TICK_MS);
  return () => clearTimeout(timer);
}

export const databaseWatchdog = fp(watchdogPlugin, { name: 'database-watchdog' });
