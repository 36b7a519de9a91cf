import t from '../helpers/tap.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

t.test('create, read, list, change and delete an initiative', async (t) => {
  const created = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: {
      name: 'Detroit Jobs Partnership',
      formality: 'formal',
      stage: 'norming',
      workLevel: 'both',
      brand: { color: '#1f6feb' },
    },
  });
  t.equal(created.status, 201);
  t.equal(created.body.slug, 'detroit-jobs-partnership');
  t.same(created.body.brand, { color: '#1f6feb', logoUrl: null });
  t.equal(created.body.version, 1);

  const read = await api.request({ method: 'GET', url: `/api/v1/initiatives/${created.body.id}` });
  t.same(read.body, created.body);

  const patched = await api.request({
    method: 'PATCH',
    url: `/api/v1/initiatives/${created.body.id}`,
    headers: { 'if-match': '"1"' },
    payload: { stage: 'performing', brand: { logoUrl: 'https://example.org/logo.svg' } },
  });
  t.equal(patched.status, 200);
  t.equal(patched.body.stage, 'performing');
  t.same(patched.body.brand, { color: '#1f6feb', logoUrl: 'https://example.org/logo.svg' }, 'brand fields merge');
  t.equal(patched.body.version, 2);

  const stale = await api.request({
    method: 'PATCH',
    url: `/api/v1/initiatives/${created.body.id}`,
    headers: { 'if-match': '"1"' },
    payload: { stage: 'forming' },
  });
  t.equal(stale.status, 412);
  t.equal(stale.body.error.code, 'version_mismatch');

  const deleted = await api.request({ method: 'DELETE', url: `/api/v1/initiatives/${created.body.id}` });
  t.equal(deleted.status, 204);
  const gone = await api.request({ method: 'GET', url: `/api/v1/initiatives/${created.body.id}` });
  t.equal(gone.status, 404);
  t.equal(gone.body.error.code, 'not_found');
});

t.test('duplicate slugs: explicit is a 409, derived gets a suffix', async (t) => {
  const first = await api.request({ method: 'POST', url: '/api/v1/initiatives', payload: { name: 'Same Name' } });
  const second = await api.request({ method: 'POST', url: '/api/v1/initiatives', payload: { name: 'Same Name' } });
  t.equal(second.status, 201);
  t.equal(second.body.slug, 'same-name-2');
  const explicit = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: { name: 'Other', slug: first.body.slug },
  });
  t.equal(explicit.status, 409);
  t.equal(explicit.body.error.code, 'duplicate_slug');
});

t.test('bad input is a 400 naming each field', async (t) => {
  const bad = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: { name: '', formality: 'semi', embedOrigins: ['https://ok.org/path'] },
  });
  t.equal(bad.status, 400);
  t.equal(bad.body.error.code, 'invalid_input');
  const paths = bad.body.error.details.map((d: { path: string }) => d.path).sort();
  t.same(paths, ['body.embedOrigins.0', 'body.formality', 'body.name']);

  const unknownField = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: { name: 'X', colour: 'red' },
  });
  t.equal(unknownField.status, 400);

  const badJson = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: '{"name":',
    headers: { 'content-type': 'application/json' },
  });
  t.equal(badJson.status, 400);
  t.equal(badJson.body.error.code, 'malformed_json');

  const wrongType = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: 'name=x',
    headers: { 'content-type': 'text/plain' },
  });
  t.equal(wrongType.status, 415);

  const badId = await api.request({ method: 'GET', url: '/api/v1/initiatives/not-a-uuid' });
  t.equal(badId.status, 400);
  t.equal(badId.body.error.details[0].path, 'params.initiativeId');
});

t.test('lists page with limit and cursor', async (t) => {
  for (let i = 0; i < 5; i++)
    await api.request({ method: 'POST', url: '/api/v1/initiatives', payload: { name: `Paged ${i}` } });
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await api.request({
      method: 'GET',
      url: `/api/v1/initiatives?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
    });
    t.ok(page.body.items.length <= 2);
    seen.push(...page.body.items.map((i) => i.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  t.equal(new Set(seen).size, seen.length, 'no item twice');
  t.ok(seen.length >= 5);
  const badCursor = await api.request({ method: 'GET', url: '/api/v1/initiatives?cursor=nonsense' });
  t.equal(badCursor.status, 400);
  t.equal(badCursor.body.error.code, 'invalid_cursor');
  const tooMany = await api.request({ method: 'GET', url: '/api/v1/initiatives?limit=1001' });
  t.equal(tooMany.status, 400);
});

t.test('deleting an initiative with results needs cascade', async (t) => {
  const initiative = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: { name: 'With results' },
  });
  await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.body.id}/results`,
    payload: { statement: 'S' },
  });
  const refused = await api.request({ method: 'DELETE', url: `/api/v1/initiatives/${initiative.body.id}` });
  t.equal(refused.status, 409);
  t.equal(refused.body.error.code, 'has_dependents');
  t.match(refused.body.error.message, /1 result\b/);
  const cascaded = await api.request({
    method: 'DELETE',
    url: `/api/v1/initiatives/${initiative.body.id}?cascade=true`,
  });
  t.equal(cascaded.status, 204);
});
