/**
 * `lastUsedAt` of a token tells an administrator whether it is in use; it is written at most once a minute per
 * token, so that a busy client does not turn every read into a write.
 */
import { sql } from 'kysely';
import t from '../helpers/tap.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const api = await buildTestApp(t);
const created = await api.request({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'Busy', role: 'admin' } });
const { id, secret } = created.body as { id: string; secret: string };

/** The stored lastUsedAt. */
async function lastUsedAt(): Promise<string | null> {
  const row = await api.db.selectFrom('apiTokens').select('lastUsedAt').where('id', '=', id).executeTakeFirstOrThrow();
  return row.lastUsedAt?.toISOString() ?? null;
}
/** The stored lastUsedAt once it differs from `before`: the write is best effort, not awaited by the request. */
async function lastUsedAtChangedFrom(before: string | null): Promise<string | null> {
  for (let i = 0; i < 100; i++) {
    const now = await lastUsedAt();
    if (now !== before) return now;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return before;
}
const use = () => api.request({ method: 'GET', url: '/api/v1/initiatives', as: secret });

t.test('written on first use, then at most once a minute', async (t) => {
  t.equal(await lastUsedAt(), null, 'a new token was never used');
  t.equal((await use()).status, 200);
  const first = await lastUsedAtChangedFrom(null);
  t.ok(first, 'the first use is recorded');
  for (let i = 0; i < 5; i++) t.equal((await use()).status, 200);
  // PGlite runs one query at a time and PostgreSQL's pool serves in order: a write, if any, is done by now.
  await api.request({ method: 'GET', url: '/api/v1/initiatives' });
  t.equal(await lastUsedAt(), first, 'five more uses within the minute write nothing');
  // A minute later (by moving the stored moment back, not by waiting): the next use is recorded.
  await sql`update api_tokens set last_used_at = last_used_at - interval '61 seconds' where id = ${id}`.execute(api.db);
  const movedBack = await lastUsedAt();
  t.equal((await use()).status, 200);
  const later = await lastUsedAtChangedFrom(movedBack);
  t.ok(later && movedBack && later > movedBack, 'a use after the minute is recorded');
  const listed = await api.request({ method: 'GET', url: '/api/v1/tokens' });
  const item = (listed.body.items as Array<{ id: string; lastUsedAt: string | null }>).find((k) => k.id === id);
  t.equal(item?.lastUsedAt, later, 'and shown to administrators');
});
