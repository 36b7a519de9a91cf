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
      const timer = setTimeout(() => resolve(false), probeTimeoutMs);
      options.probe().then(
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        () => {
          clearTimeout(timer);
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

export const databaseWatchdog = fp(watchdogPlugin, { name: 'database-watchdog' });
