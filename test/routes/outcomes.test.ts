import { randomUUID } from 'node:crypto';
import t from '../helpers/tap.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

const paths = (body: { error: { details: Array<{ path: string }> } }) => body.error.details.map((d) => d.path).sort();

async function newResult() {
  const initiative = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: { name: `Partnership ${randomUUID().slice(0, 8)}` },
  });
  const result = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.body.id}/results`,
    payload: { statement: 'Residents are employed' },
  });
  if (result.status !== 201) throw new Error(`result not created: ${result.raw}`);
  return result.body as { id: string; initiativeId: string };
}

async function addOutcome(resultId: string, payload: Record<string, unknown>) {
  const created = await api.request({ method: 'POST', url: `/api/v1/results/${resultId}/outcomes`, payload });
  if (created.status !== 201) throw new Error(`outcome not created: ${created.raw}`);
  return created.body as { id: string; position: number; version: number };
}

interface TreeNode {
  id: string;
  title: string;
  outcomes: TreeNode[];
}
const shape = (nodes: TreeNode[]): unknown[] => nodes.map((n) => [n.title, shape(n.outcomes)]);

t.test('create, read, list, change and delete an outcome', async (t) => {
  const result = await newResult();
  const created = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/outcomes`,
    payload: { title: 'Residents have in-demand skills', description: 'Training matched to employers' },
  });
  t.equal(created.status, 201);
  t.match(created.body, {
    resultId: result.id,
    initiativeId: result.initiativeId,
    parentOutcomeId: null,
    title: 'Residents have in-demand skills',
    description: 'Training matched to employers',
    position: 0,
    version: 1,
  });
  const second = await addOutcome(result.id, { title: 'Employers hire locally' });
  t.equal(second.position, 1, 'position defaults to last among siblings');

  const read = await api.request({ method: 'GET', url: `/api/v1/outcomes/${created.body.id}` });
  t.equal(read.status, 200);
  t.strictSame(read.body, created.body);

  const list = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/outcomes` });
  t.equal(list.status, 200);
  t.same(
    list.body.items.map((o: { id: string }) => o.id),
    [created.body.id, second.id],
  );
  const page = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/outcomes?limit=1` });
  t.same(
    page.body.items.map((o: { id: string }) => o.id),
    [created.body.id],
  );
  const page2 = await api.request({
    method: 'GET',
    url: `/api/v1/results/${result.id}/outcomes?limit=1&cursor=${page.body.nextCursor}`,
  });
  t.same(
    page2.body.items.map((o: { id: string }) => o.id),
    [second.id],
  );
  t.equal(page2.body.nextCursor, null);

  const patched = await api.request({
    method: 'PATCH',
    url: `/api/v1/outcomes/${created.body.id}`,
    headers: { 'if-match': '"1"' },
    payload: { title: 'Residents have the skills employers need', description: null },
  });
  t.equal(patched.status, 200);
  t.match(patched.body, {
    title: 'Residents have the skills employers need',
    description: null,
    position: 0,
    version: 2,
  });
  const stale = await api.request({
    method: 'PATCH',
    url: `/api/v1/outcomes/${created.body.id}`,
    headers: { 'if-match': '"1"' },
    payload: { title: 'X' },
  });
  t.equal(stale.status, 412);
  t.equal(stale.body.error.code, 'version_mismatch');
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/outcomes/${created.body.id}` })).body.title,
    'Residents have the skills employers need',
  );

  const deleted = await api.request({ method: 'DELETE', url: `/api/v1/outcomes/${second.id}` });
  t.equal(deleted.status, 204);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/outcomes/${second.id}` })).status, 404);
});

t.test('unknown ids are 404s', async (t) => {
  const missing = randomUUID();
  const result = await newResult();
  const cases = [
    { method: 'POST' as const, url: `/api/v1/results/${missing}/outcomes`, payload: { title: 'T' } },
    { method: 'GET' as const, url: `/api/v1/results/${missing}/outcomes` },
    { method: 'GET' as const, url: `/api/v1/outcomes/${missing}` },
    { method: 'PATCH' as const, url: `/api/v1/outcomes/${missing}`, payload: { title: 'T' } },
    { method: 'DELETE' as const, url: `/api/v1/outcomes/${missing}` },
  ];
  for (const c of cases) {
    const res = await api.request(c);
    t.equal(res.status, 404, `${c.method} ${c.url}`);
    t.equal(res.body.error.code, 'not_found');
  }
  const unknownParent = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/outcomes`,
    payload: { title: 'T', parentOutcomeId: missing },
  });
  t.equal(unknownParent.status, 422, 'an unknown parent is an impossible reference');
  t.equal(unknownParent.body.error.code, 'outcome_not_in_result');
  t.same(paths(unknownParent.body), ['body.parentOutcomeId']);
  t.same((await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/outcomes` })).body.items, []);
});

t.test('bad input is a 400 naming each field', async (t) => {
  const result = await newResult();
  const url = `/api/v1/results/${result.id}/outcomes`;
  const bad = await api.request({
    method: 'POST',
    url,
    payload: { title: '', parentOutcomeId: 'nope', position: -1, colour: 'x' },
  });
  t.equal(bad.status, 400);
  t.equal(bad.body.error.code, 'invalid_input');
  t.same(paths(bad.body), ['body.colour', 'body.parentOutcomeId', 'body.position', 'body.title']);
  const wrongTypes = await api.request({ method: 'POST', url, payload: { title: 5, position: 1.5 } });
  t.equal(wrongTypes.status, 400);
  t.same(paths(wrongTypes.body), ['body.position', 'body.title']);
  const outcome = await addOutcome(result.id, { title: 'T' });
  const badPatch = await api.request({
    method: 'PATCH',
    url: `/api/v1/outcomes/${outcome.id}`,
    payload: { position: 'first' },
  });
  t.equal(badPatch.status, 400);
  t.same(paths(badPatch.body), ['body.position']);
  const notJson = await api.request({
    method: 'POST',
    url,
    payload: 'title=T',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.equal(notJson.status, 415);
  const notJsonPatch = await api.request({
    method: 'PATCH',
    url: `/api/v1/outcomes/${outcome.id}`,
    payload: 'T',
    headers: { 'content-type': 'text/plain' },
  });
  t.equal(notJsonPatch.status, 415);
  t.equal((await api.request({ method: 'GET', url })).body.items.length, 1);
});

t.test('a tree of any depth, ordered by position', async (t) => {
  const result = await newResult();
  // Created out of order on purpose: positions, not creation order, decide the order.
  const b = await addOutcome(result.id, { title: 'B', position: 20 });
  const a = await addOutcome(result.id, { title: 'A', position: 10 });
  const a2 = await addOutcome(result.id, { title: 'A2', parentOutcomeId: a.id, position: 5 });
  const a1 = await addOutcome(result.id, { title: 'A1', parentOutcomeId: a.id, position: 1 });
  let parent = a1.id;
  for (let depth = 1; depth <= 6; depth++)
    parent = (await addOutcome(result.id, { title: `A1-${depth}`, parentOutcomeId: parent })).id;
  const b1 = await addOutcome(result.id, { title: 'B1', parentOutcomeId: b.id });
  t.equal(b1.position, 0);
  const b2 = await addOutcome(result.id, { title: 'B2', parentOutcomeId: b.id });
  t.equal(b2.position, 1, 'default position counts siblings only');

  const tree = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/tree` });
  t.equal(tree.status, 200);
  const chain = (d: number): unknown[] => (d > 6 ? [] : [[`A1-${d}`, chain(d + 1)]]);
  t.same(shape(tree.body.outcomes), [
    [
      'A',
      [
        ['A1', chain(1)],
        ['A2', []],
      ],
    ],
    [
      'B',
      [
        ['B1', []],
        ['B2', []],
      ],
    ],
  ]);

  // Move B1 before B2 → after; move A2 under B (gets the last position there).
  const reordered = await api.request({ method: 'PATCH', url: `/api/v1/outcomes/${b1.id}`, payload: { position: 9 } });
  t.equal(reordered.status, 200);
  const moved = await api.request({
    method: 'PATCH',
    url: `/api/v1/outcomes/${a2.id}`,
    payload: { parentOutcomeId: b.id },
  });
  t.equal(moved.status, 200);
  t.equal(moved.body.parentOutcomeId, b.id);
  t.equal(moved.body.position, 10, 'a moved outcome goes last among its new siblings');
  const toTop = await api.request({
    method: 'PATCH',
    url: `/api/v1/outcomes/${b2.id}`,
    payload: { parentOutcomeId: null, position: 0 },
  });
  t.equal(toTop.status, 200);
  t.equal(toTop.body.parentOutcomeId, null);
  const after = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/tree` });
  t.same(shape(after.body.outcomes), [
    ['B2', []],
    ['A', [['A1', chain(1)]]],
    [
      'B',
      [
        ['B1', []],
        ['A2', []],
      ],
    ],
  ]);
});

t.test('an outcome cannot cross results or make a cycle', async (t) => {
  const result = await newResult();
  const other = await newResult();
  const foreign = await addOutcome(other.id, { title: 'Elsewhere' });
  const root = await addOutcome(result.id, { title: 'Root' });
  const child = await addOutcome(result.id, { title: 'Child', parentOutcomeId: root.id });
  const grandchild = await addOutcome(result.id, { title: 'Grandchild', parentOutcomeId: child.id });

  const crossCreate = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/outcomes`,
    payload: { title: 'X', parentOutcomeId: foreign.id },
  });
  t.equal(crossCreate.status, 422);
  t.equal(crossCreate.body.error.code, 'outcome_not_in_result');
  t.same(paths(crossCreate.body), ['body.parentOutcomeId']);

  const crossMove = await api.request({
    method: 'PATCH',
    url: `/api/v1/outcomes/${child.id}`,
    payload: { parentOutcomeId: foreign.id },
  });
  t.equal(crossMove.status, 422);
  t.equal(crossMove.body.error.code, 'outcome_not_in_result');

  const underDescendant = await api.request({
    method: 'PATCH',
    url: `/api/v1/outcomes/${root.id}`,
    payload: { parentOutcomeId: grandchild.id },
  });
  t.equal(underDescendant.status, 422);
  t.equal(underDescendant.body.error.code, 'outcome_cycle');
  t.same(paths(underDescendant.body), ['body.parentOutcomeId']);

  const underChild = await api.request({
    method: 'PATCH',
    url: `/api/v1/outcomes/${root.id}`,
    payload: { parentOutcomeId: child.id },
  });
  t.equal(underChild.status, 422);
  t.equal(underChild.body.error.code, 'outcome_cycle');

  const underItself = await api.request({
    method: 'PATCH',
    url: `/api/v1/outcomes/${child.id}`,
    payload: { parentOutcomeId: child.id },
  });
  t.equal(underItself.status, 422);
  t.equal(underItself.body.error.code, 'outcome_cycle');

  for (const o of [root, child, grandchild]) {
    const read = await api.request({ method: 'GET', url: `/api/v1/outcomes/${o.id}` });
    t.equal(read.body.version, 1, 'refused moves change nothing');
  }
  const tree = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/tree` });
  t.same(shape(tree.body.outcomes), [['Root', [['Child', [['Grandchild', []]]]]]]);
  const otherTree = await api.request({ method: 'GET', url: `/api/v1/results/${other.id}/tree` });
  t.same(shape(otherTree.body.outcomes), [['Elsewhere', []]]);

  const sideways = await api.request({
    method: 'PATCH',
    url: `/api/v1/outcomes/${grandchild.id}`,
    payload: { parentOutcomeId: root.id },
  });
  t.equal(sideways.status, 200, 'moving up the tree is fine');
});

t.test('deleting an outcome with dependents needs cascade, which removes the subtree', async (t) => {
  const result = await newResult();
  const keep = await addOutcome(result.id, { title: 'Keep' });
  const top = await addOutcome(result.id, { title: 'Top' });
  const mid = await addOutcome(result.id, { title: 'Mid', parentOutcomeId: top.id });
  const leaf = await addOutcome(result.id, { title: 'Leaf', parentOutcomeId: mid.id });
  const indicator = (outcomeId: string, name: string) =>
    api.request({
      method: 'POST',
      url: `/api/v1/results/${result.id}/indicators`,
      payload: { name, unit: 'count', polarity: 'higher_is_better', frequency: 'quarterly', outcomeId },
    });
  const topIndicator = (await indicator(top.id, 'Top measure')).body;
  const leafIndicator = (await indicator(leaf.id, 'Leaf measure')).body;
  const keptIndicator = (await indicator(keep.id, 'Kept measure')).body;
  const points = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${leafIndicator.id}/data-points`,
    payload: {
      points: [
        { period: '2024-Q1', value: 1 },
        { period: '2024-Q2', value: 2 },
      ],
    },
  });
  t.equal(points.status, 200);
  const keptPoints = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${keptIndicator.id}/data-points`,
    payload: { points: [{ period: '2024-Q1', value: 9 }] },
  });

  const refused = await api.request({ method: 'DELETE', url: `/api/v1/outcomes/${top.id}` });
  t.equal(refused.status, 409);
  t.equal(refused.body.error.code, 'has_dependents');
  t.match(refused.body.error.message, /1 outcome\b.*1 indicator\b/);
  const leafOnly = await api.request({ method: 'DELETE', url: `/api/v1/outcomes/${leaf.id}` });
  t.equal(leafOnly.status, 409, 'an indicator alone is a dependent');
  t.match(leafOnly.body.error.message, /1 indicator\b/);
  for (const id of [top.id, mid.id, leaf.id])
    t.equal((await api.request({ method: 'GET', url: `/api/v1/outcomes/${id}` })).status, 200, 'nothing deleted');
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/indicators/${leafIndicator.id}/data-points` })).body.items.length,
    2,
  );

  const cascaded = await api.request({ method: 'DELETE', url: `/api/v1/outcomes/${top.id}?cascade=true` });
  t.equal(cascaded.status, 204);
  for (const id of [top.id, mid.id, leaf.id])
    t.equal((await api.request({ method: 'GET', url: `/api/v1/outcomes/${id}` })).status, 404);
  for (const id of [topIndicator.id, leafIndicator.id])
    t.equal((await api.request({ method: 'GET', url: `/api/v1/indicators/${id}` })).status, 404);
  for (const p of points.body.points)
    t.equal((await api.request({ method: 'GET', url: `/api/v1/data-points/${p.id}` })).status, 404);

  t.equal((await api.request({ method: 'GET', url: `/api/v1/outcomes/${keep.id}` })).status, 200, 'siblings stay');
  t.equal((await api.request({ method: 'GET', url: `/api/v1/indicators/${keptIndicator.id}` })).status, 200);
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/data-points/${keptPoints.body.points[0].id}` })).status,
    200,
  );
  const tree = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/tree` });
  t.same(shape(tree.body.outcomes), [['Keep', []]]);
  t.same(
    tree.body.outcomes[0].indicators.map((i: { id: string }) => i.id),
    [keptIndicator.id],
  );
});

t.test('outcomes and indicators added at the same time get distinct positions', async (t) => {
  const result = await newResult();
  const parent = await addOutcome(result.id, { title: 'Parent' });
  const outcomes = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      api.request({
        method: 'POST',
        url: `/api/v1/results/${result.id}/outcomes`,
        payload: { title: `C${i}`, parentOutcomeId: parent.id },
      }),
    ),
  );
  t.same(
    outcomes.map((o) => o.status),
    [201, 201, 201, 201, 201, 201],
  );
  t.same(
    outcomes.map((o) => o.body.position).sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5],
  );
  const indicators = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      api.request({
        method: 'POST',
        url: `/api/v1/results/${result.id}/indicators`,
        payload: {
          name: `I${i}`,
          unit: 'count',
          polarity: 'higher_is_better',
          frequency: 'annual',
          outcomeId: parent.id,
        },
      }),
    ),
  );
  t.same(
    indicators.map((o) => o.status),
    [201, 201, 201, 201, 201, 201],
  );
  t.same(
    indicators.map((o) => o.body.position).sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5],
  );
});
