import { randomUUID } from 'node:crypto';
import t from '../helpers/tap.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

const paths = (body: { error: { details: Array<{ path: string }> } }) => body.error.details.map((d) => d.path).sort();

async function newInitiative(name = `Partnership ${randomUUID().slice(0, 8)}`) {
  const created = await api.request({ method: 'POST', url: '/api/v1/initiatives', payload: { name } });
  if (created.status !== 201) throw new Error(`initiative not created: ${created.raw}`);
  return created.body as { id: string };
}

t.test('create, read, list, change and delete a partner', async (t) => {
  const initiative = await newInitiative();
  const created = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/partners`,
    payload: { name: 'Detroit Employment Solutions', sector: 'public', role: 'Runs the workforce programs' },
  });
  t.equal(created.status, 201);
  t.match(created.body, {
    initiativeId: initiative.id,
    name: 'Detroit Employment Solutions',
    sector: 'public',
    role: 'Runs the workforce programs',
    version: 1,
  });
  t.match(created.body.id, /^[0-9a-f-]{36}$/);
  t.ok(!Number.isNaN(Date.parse(created.body.createdAt)));

  const read = await api.request({ method: 'GET', url: `/api/v1/partners/${created.body.id}` });
  t.equal(read.status, 200);
  t.strictSame(read.body, created.body, 'reads back what was created');

  const minimal = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/partners`,
    payload: { name: 'Community Foundation', sector: 'philanthropy' },
  });
  t.equal(minimal.status, 201);
  t.equal(minimal.body.role, null, 'role defaults to null');

  const list = await api.request({ method: 'GET', url: `/api/v1/initiatives/${initiative.id}/partners` });
  t.equal(list.status, 200);
  t.equal(list.body.nextCursor, null);
  t.same(list.body.items.map((p: { id: string }) => p.id).sort(), [created.body.id, minimal.body.id].sort());

  const other = await newInitiative();
  const otherList = await api.request({ method: 'GET', url: `/api/v1/initiatives/${other.id}/partners` });
  t.same(otherList.body, { items: [], nextCursor: null }, 'partners belong to their initiative only');

  const patched = await api.request({
    method: 'PATCH',
    url: `/api/v1/partners/${created.body.id}`,
    headers: { 'if-match': '"1"' },
    payload: { sector: 'nonprofit', role: null },
  });
  t.equal(patched.status, 200);
  t.match(patched.body, { name: 'Detroit Employment Solutions', sector: 'nonprofit', role: null, version: 2 });

  const stale = await api.request({
    method: 'PATCH',
    url: `/api/v1/partners/${created.body.id}`,
    headers: { 'if-match': '"1"' },
    payload: { name: 'Stale' },
  });
  t.equal(stale.status, 412);
  t.equal(stale.body.error.code, 'version_mismatch');
  t.match(stale.body.error.details[0].message, /current version is 2/);
  const unchanged = await api.request({ method: 'GET', url: `/api/v1/partners/${created.body.id}` });
  t.equal(unchanged.body.name, 'Detroit Employment Solutions', 'a 412 changes nothing');
  t.equal(unchanged.body.version, 2);

  const unconditional = await api.request({
    method: 'PATCH',
    url: `/api/v1/partners/${created.body.id}`,
    payload: { name: 'DESC' },
  });
  t.equal(unconditional.status, 200);
  t.equal(unconditional.body.version, 3, 'a PATCH without If-Match still bumps the version');

  const deleted = await api.request({ method: 'DELETE', url: `/api/v1/partners/${created.body.id}` });
  t.equal(deleted.status, 204);
  t.equal(deleted.raw, '');
  const gone = await api.request({ method: 'GET', url: `/api/v1/partners/${created.body.id}` });
  t.equal(gone.status, 404);
  t.equal(gone.body.error.code, 'not_found');
  const again = await api.request({ method: 'DELETE', url: `/api/v1/partners/${created.body.id}` });
  t.equal(again.status, 404);
});

t.test('unknown ids are 404s in the one error shape', async (t) => {
  const missing = randomUUID();
  const initiative = await newInitiative();
  const partner = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/partners`,
    payload: { name: 'P', sector: 'other' },
  });
  const cases = [
    {
      method: 'POST' as const,
      url: `/api/v1/initiatives/${missing}/partners`,
      payload: { name: 'P', sector: 'public' },
    },
    { method: 'GET' as const, url: `/api/v1/initiatives/${missing}/partners` },
    { method: 'GET' as const, url: `/api/v1/partners/${missing}` },
    { method: 'PATCH' as const, url: `/api/v1/partners/${missing}`, payload: { name: 'X' } },
    { method: 'DELETE' as const, url: `/api/v1/partners/${missing}` },
  ];
  for (const c of cases) {
    const res = await api.request(c);
    t.equal(res.status, 404, `${c.method} ${c.url}`);
    t.equal(res.body.error.code, 'not_found');
    t.type(res.body.error.message, 'string');
    t.ok(Array.isArray(res.body.error.details));
  }
  const list = await api.request({ method: 'GET', url: `/api/v1/initiatives/${initiative.id}/partners` });
  t.same(
    list.body.items.map((p: { id: string }) => p.id),
    [partner.body.id],
    'the failed create wrote nothing',
  );
});

t.test('bad input is a 400 naming each field', async (t) => {
  const initiative = await newInitiative();
  const url = `/api/v1/initiatives/${initiative.id}/partners`;

  const badEnumAndType = await api.request({
    method: 'POST',
    url,
    payload: { name: 42, sector: 'government', role: ['x'] },
  });
  t.equal(badEnumAndType.status, 400);
  t.equal(badEnumAndType.body.error.code, 'invalid_input');
  t.same(paths(badEnumAndType.body), ['body.name', 'body.role', 'body.sector']);

  const missingRequired = await api.request({ method: 'POST', url, payload: { role: 'x' } });
  t.equal(missingRequired.status, 400);
  t.same(paths(missingRequired.body), ['body.name', 'body.sector']);

  const extra = await api.request({
    method: 'POST',
    url,
    payload: { name: 'P', sector: 'public', website: 'https://x.org' },
  });
  t.equal(extra.status, 400);
  t.same(paths(extra.body), ['body.website'], 'an unknown field is named');

  const emptyName = await api.request({ method: 'POST', url, payload: { name: '   ', sector: 'public' } });
  t.equal(emptyName.status, 400);
  t.same(paths(emptyName.body), ['body.name']);

  const partner = await api.request({ method: 'POST', url, payload: { name: 'P', sector: 'public' } });
  const badPatch = await api.request({
    method: 'PATCH',
    url: `/api/v1/partners/${partner.body.id}`,
    payload: { sector: 'gov', colour: 'red' },
  });
  t.equal(badPatch.status, 400);
  t.same(paths(badPatch.body), ['body.colour', 'body.sector']);

  const badId = await api.request({ method: 'GET', url: '/api/v1/partners/123' });
  t.equal(badId.status, 400);
  t.same(paths(badId.body), ['params.partnerId']);

  const notJson = await api.request({
    method: 'POST',
    url,
    payload: 'name=P&sector=public',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.equal(notJson.status, 415);
  t.equal(notJson.body.error.code, 'unsupported_media_type');
  const notJsonPatch = await api.request({
    method: 'PATCH',
    url: `/api/v1/partners/${partner.body.id}`,
    payload: 'name',
    headers: { 'content-type': 'text/plain' },
  });
  t.equal(notJsonPatch.status, 415);

  const badJson = await api.request({
    method: 'POST',
    url,
    payload: '{"name":"P",',
    headers: { 'content-type': 'application/json' },
  });
  t.equal(badJson.status, 400);
  t.equal(badJson.body.error.code, 'malformed_json');

  const list = await api.request({ method: 'GET', url });
  t.equal(list.body.items.length, 1, 'no bad request wrote anything');
  const read = await api.request({ method: 'GET', url: `/api/v1/partners/${partner.body.id}` });
  t.equal(read.body.version, 1);
});

t.test('partners page with limit and cursor', async (t) => {
  const initiative = await newInitiative();
  const url = `/api/v1/initiatives/${initiative.id}/partners`;
  const ids: string[] = [];
  for (let i = 0; i < 5; i++)
    ids.push(
      (await api.request({ method: 'POST', url, payload: { name: `Partner ${i}`, sector: 'community' } })).body.id,
    );
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } =
      await api.request({
        method: 'GET',
        url: `${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
    t.equal(page.status, 200);
    t.ok(page.body.items.length <= 2);
    seen.push(...page.body.items.map((p) => p.id));
    cursor = page.body.nextCursor;
    pages++;
  } while (cursor);
  t.equal(pages, 3);
  t.same([...seen].sort(), [...ids].sort(), 'every partner exactly once');
  const bad = await api.request({ method: 'GET', url: `${url}?cursor=xyz` });
  t.equal(bad.status, 400);
  t.equal(bad.body.error.code, 'invalid_cursor');
  const zero = await api.request({ method: 'GET', url: `${url}?limit=0` });
  t.equal(zero.status, 400);
  t.same(paths(zero.body), ['querystring.limit']);
});

t.test('deleting a partner keeps the indicators it owned, without an owner', async (t) => {
  const initiative = await newInitiative();
  const partner = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/partners`,
    payload: { name: 'Owner', sector: 'academic' },
  });
  const result = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.id}/results`,
    payload: { statement: 'S' },
  });
  const indicator = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.body.id}/indicators`,
    payload: {
      name: 'I',
      unit: 'count',
      polarity: 'higher_is_better',
      frequency: 'annual',
      ownerPartnerId: partner.body.id,
    },
  });
  t.equal(indicator.status, 201);
  t.equal(indicator.body.ownerPartnerId, partner.body.id);
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.body.id}/data-points`,
    payload: { points: [{ period: '2024', value: 3 }] },
  });

  const deleted = await api.request({ method: 'DELETE', url: `/api/v1/partners/${partner.body.id}` });
  t.equal(deleted.status, 204);
  const after = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.body.id}` });
  t.equal(after.status, 200);
  t.equal(after.body.ownerPartnerId, null);
  const points = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.body.id}/data-points` });
  t.equal(points.body.items.length, 1, 'its data stay');
});
