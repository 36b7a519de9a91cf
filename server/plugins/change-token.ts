/**
 * Read-your-writes across instances (README, "Several instances"). Every successful write's answer carries
 * `RBA-Change-Token`: the database's change token once the write committed. A request that sends it back, to
 * any instance, is answered from data at least as new as that write: an instance that has not yet heard of a
 * change that recent (its notification is still on its way) flushes its caches before answering — the
 * database itself already has the write. One query per write, and one per request whose token is newer than
 * what the instance heard; a token from the future (never handed out) is ignored.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ChangeGeneration } from '../cache/change-generation.ts';
import type { Db } from '../dependencies.ts';
import { currentChangeToken } from '../repositories/change-token.ts';

export const CHANGE_TOKEN_HEADER = 'rba-change-token';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface ChangeTokenOptions {
  db: Db;
  generation: ChangeGeneration;
}

async function changeTokenPlugin(app: FastifyInstance, { db, generation }: ChangeTokenOptions): Promise<void> {
  // A callback hook, not an async one: it runs before the public fast path on every request, and almost
  // none carries a token, so no promise is made unless one must be awaited.
  app.addHook('onRequest', (request, _reply, done) => {
    const sent = request.headers[CHANGE_TOKEN_HEADER];
    if (typeof sent !== 'string' || !/^\d{1,15}$/.test(sent)) return done();
    const token = Number(sent);
    if (token <= generation.seenToken) return done();
    currentChangeToken(db).then((latest) => {
      if (token <= latest) generation.flushedAt(latest);
      done();
    }, done);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (WRITE_METHODS.has(request.method) && reply.statusCode < 400) {
      // The write committed: a database that fails right now costs the header, never the answer.
      const token = await currentChangeToken(db).catch(() => null);
      if (token !== null) reply.header(CHANGE_TOKEN_HEADER, String(token));
    }
    return payload;
  });
}

export const changeToken = fp(changeTokenPlugin, { name: 'change-token' });
