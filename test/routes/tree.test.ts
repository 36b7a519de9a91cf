/**
 * The acceptance test of the tree: a result with three levels of outcomes, 50 indicators and 120 data
 * points each, all created through the API, reads back exactly — from a fixed number of queries.
 */
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import t from '../helpers/tap.ts';
import { buildApp } from '../../server/app.ts';
import { buildTestApp, TEST_ADMIN_TOKEN } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

/** Counts every statement the app sends to the database (one transformResult per executed query). */
class QueryCounter implements KyselyPlugin {
  count = 0;
  kinds: string[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.kinds.push(args.node.kind);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count++;
    return args.result;
  }
  reset() {
    this.count = 0;
    this.kinds = [];
  }
}
const counter = new QueryCounter();
// A second app on the same database whose every statement is counted.
const counted = await buildApp({
  config: { bodyLimitBytes: 1_048_576, logLevel: 'silent', adminToken: TEST_ADMIN_TOKEN },
  db: api.db.withPlugin(counter),
  logger: false,
});
t.teardown(() => counted.close());

async function post(url: string, payload: Record<string, unknown>) {
  const res = await api.request({ method: 'POST', url: `/api/v1${url}`, payload });
  if (res.status !== 201) throw new Error(`POST ${url} → ${res.status}: ${res.raw}`);
  return res.body;
}

/** Statements one GET costs (whatever the access check costs is the same for every route). */
/** Statements one GET costs once warm (the access layer remembers read anchors until data change). */
async function countedQueries(url: string) {
  const request = { method: 'GET' as const, url, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } };
  await counted.inject(request);
  counter.reset();
  const res = await counted.inject(request);
  if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode}: ${res.body}`);
  return { count: counter.count, kinds: [...counter.kinds], body: JSON.parse(res.body) };
}
const countedTreeQueries = (resultId: string) => countedQueries(`/api/v1/results/${resultId}/tree`);

type Json = Record<string, any>;
interface CreatedOutcome {
  body: Json;
  children: CreatedOutcome[];
  indicators: Array<{ body: Json; input: Json }>;
}

const SEXES = ['female', 'male'];

/** Deterministic, varied values, including a few that test float round-tripping. */
function valueOf(i: number, j: number): number {
  if (j === 0) return (i + 1) * 1e-9;
  if (j === 1) return -123456.789 - i;
  if (j === 2) return 0.1 + 0.2 + i;
  return ((i * 131 + j * 17) % 1000) / 8 + i;
}

function periodsOf(frequency: 'monthly' | 'quarterly', count: number): string[] {
  const labels: string[] = [];
  for (let k = 0; k < count; k++) {
    labels.push(
      frequency === 'monthly'
        ? `${2015 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`
        : `${1990 + Math.floor(k / 4)}-Q${(k % 4) + 1}`,
    );
  }
  return labels;
}

t.test('a result with three levels, 50 indicators and 6,000 data points reads back exactly', async (t) => {
  const initiative = await post('/initiatives', { name: 'Acceptance Partnership' });
  const partner = await post(`/initiatives/${initiative.id}/partners`, { name: 'Data Steward', sector: 'academic' });
  const result = await post(`/initiatives/${initiative.id}/results`, {
    statement: 'All young people in the city are ready for work by 2030',
    population: 'Residents aged 16–24',
    geography: 'The city',
    timeFrame: { start: 2015, end: 2030 },
    visibility: 'public',
  });

  // Three levels of outcomes, created in an order that differs from their positions.
  const level1Positions = [20, 0, 10];
  const level2Positions = [5, 15, 1];
  const level3Positions = [3, 2];
  const roots: CreatedOutcome[] = [];
  const all: CreatedOutcome[] = [];
  for (const [a, p1] of level1Positions.entries()) {
    const o1: CreatedOutcome = {
      body: await post(`/results/${result.id}/outcomes`, {
        title: `Outcome ${a}`,
        description: `Level 1, #${a}`,
        position: p1,
      }),
      children: [],
      indicators: [],
    };
    roots.push(o1);
    all.push(o1);
    for (const [b, p2] of level2Positions.entries()) {
      const o2: CreatedOutcome = {
        body: await post(`/results/${result.id}/outcomes`, {
          title: `Outcome ${a}.${b}`,
          parentOutcomeId: o1.body.id,
          position: p2,
        }),
        children: [],
        indicators: [],
      };
      o1.children.push(o2);
      all.push(o2);
      for (const [c, p3] of level3Positions.entries()) {
        const o3: CreatedOutcome = {
          body: await post(`/results/${result.id}/outcomes`, {
            title: `Outcome ${a}.${b}.${c}`,
            description: null,
            parentOutcomeId: o2.body.id,
            position: p3,
          }),
          children: [],
          indicators: [],
        };
        o2.children.push(o3);
        all.push(o3);
      }
    }
  }
  t.equal(all.length, 30);

  // 50 indicators: 5 headline, 45 over the three levels; unique positions (a permutation), so the
  // expected order does not depend on any tie-break.
  const headline: Array<{ body: Json; input: Json }> = [];
  const sentPoints = new Map<string, Json[]>();
  for (let i = 0; i < 50; i++) {
    const frequency = i % 2 === 0 ? 'monthly' : 'quarterly';
    const disaggregated = i % 5 === 0;
    const periods = periodsOf(frequency, disaggregated ? 40 : 120);
    const owner = i < 5 ? null : all[(i * 7) % all.length]!;
    const input: Json = {
      name: `Indicator ${i}`,
      code: `IND_${String(i).padStart(2, '0')}`,
      unit: (['count', 'percent', 'rate', 'currency', 'index', 'ratio', 'other'] as const)[i % 7],
      polarity: i % 3 === 0 ? 'lower_is_better' : 'higher_is_better',
      frequency,
      outcomeId: owner ? owner.body.id : null,
      definition: `Definition of indicator ${i}`,
      unitLabel: i % 7 === 1 ? '%' : null,
      decimals: i % 4,
      yearStartMonth: 1,
      baselinePeriod: periods[0],
      target: { period: periods[periods.length - 1], value: i % 7 === 1 ? 50 : 1000 + i },
      interimTargets: [
        { period: periods[10], value: i + 0.5 },
        { period: periods[20], value: i + 0.25 },
      ],
      naturalLimit: i % 3 === 0 ? 0 : null,
      bounds: i % 7 === 1 ? { min: 0, max: 100 } : null,
      forecastOverride: i % 4 === 0 ? [{ period: periods[periods.length - 1], value: i * 2 }] : [],
      dimensions: disaggregated ? [{ name: 'sex_at_birth', values: SEXES }] : [],
      referenceGroup: disaggregated ? { sex_at_birth: 'male' } : null,
      dataSource: `Source ${i}`,
      ownerPartnerId: i % 6 === 0 ? partner.id : null,
      level: i % 2 === 0 ? 'population' : 'performance',
      visibility: i % 9 === 0 ? 'private' : null,
      position: ((i * 37) % 50) * 2,
    };
    const body = await post(`/results/${result.id}/indicators`, input);
    const { visibility, ...rest } = input;
    t.same(
      { ...body, visibility: undefined, visibilityInherited: undefined },
      { ...body, ...rest, visibility: undefined, visibilityInherited: undefined },
      `indicator ${i} created as sent`,
    );
    t.equal(body.visibility, visibility ?? 'public');
    t.equal(body.visibilityInherited, visibility === null);
    (owner ? owner.indicators : headline).push({ body, input });

    const points: Json[] = [];
    periods.forEach((period, j) => {
      const slices: Array<Record<string, string>> = disaggregated
        ? [{}, { sex_at_birth: 'female' }, { sex_at_birth: 'male' }]
        : [{}];
      slices.forEach((disaggregation, s) => {
        const point: Json = { period, value: valueOf(i, j) + s * 0.5, disaggregation };
        if (j % 10 === 0) point.note = `Note ${i}/${j}/${s}`;
        if (j % 3 === 0) point.status = j % 2 === 0 ? 'final' : 'provisional';
        if (j % 7 === 0) point.source = `Survey ${j}`;
        points.push(point);
      });
    });
    t.equal(points.length, 120);
    const stored = await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${body.id}/data-points`,
      payload: { points },
    });
    t.equal(stored.status, 200);
    t.match(stored.body, { inserted: 120, updated: 0, unchanged: 0 });
    sentPoints.set(body.id, points);
  }
  t.equal(headline.length, 5);

  // The expected tree, built from what was created and ordered by the positions that were sent.
  const byPosition = <T extends { body: Json }>(items: T[]) =>
    [...items].sort((x, y) => x.body.position - y.body.position);
  const expectOutcome = (o: CreatedOutcome): Json => ({
    ...o.body,
    outcomes: byPosition(o.children).map(expectOutcome),
    indicators: byPosition(o.indicators).map((i) => i.body),
  });
  const expected = {
    ...result,
    indicators: byPosition(headline).map((i) => i.body),
    outcomes: byPosition(roots).map(expectOutcome),
  };

  const tree = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/tree` });
  t.equal(tree.status, 200);
  t.strictSame(tree.body, expected, 'the tree is exactly what was created, in position order');
  t.same(
    tree.body.outcomes.map((o: Json) => o.title),
    ['Outcome 1', 'Outcome 2', 'Outcome 0'],
  );
  t.same(
    tree.body.outcomes[0].outcomes.map((o: Json) => o.title),
    ['Outcome 1.2', 'Outcome 1.0', 'Outcome 1.1'],
  );
  t.same(
    tree.body.outcomes[0].outcomes[0].outcomes.map((o: Json) => o.title),
    ['Outcome 1.2.1', 'Outcome 1.2.0'],
  );
  // Every field that was sent, found again in the tree.
  const inTree = new Map<string, Json>();
  const walk = (outcomes: Json[]) => {
    for (const o of outcomes) {
      for (const i of o.indicators) inTree.set(i.id, { ...i, parent: o.id });
      walk(o.outcomes);
    }
  };
  walk(tree.body.outcomes);
  for (const i of tree.body.indicators) inTree.set(i.id, { ...i, parent: null });
  t.equal(inTree.size, 50, 'every indicator appears once');
  for (const item of [...headline, ...all.flatMap((o) => o.indicators)]) {
    const found = inTree.get(item.body.id)!;
    const { visibility, ...sent } = item.input;
    const picked = Object.fromEntries(Object.keys(sent).map((k) => [k, found[k]]));
    t.strictSame(picked, sent, `${item.input.name}: every field as sent`);
    t.equal(found.parent, item.input.outcomeId, `${item.input.name} hangs where it was put`);
    t.equal(found.visibility, visibility ?? 'public');
  }

  // Every data point, read back exactly.
  const key = (p: Json) => `${p.period} ${JSON.stringify(Object.entries(p.disaggregation ?? {}).sort())}`;
  for (const [indicatorId, points] of sentPoints) {
    const read = await api.request({
      method: 'GET',
      url: `/api/v1/indicators/${indicatorId}/data-points?slice=all&limit=1000`,
    });
    t.equal(read.status, 200);
    t.equal(read.body.nextCursor, null);
    const items: Json[] = read.body.items;
    t.equal(items.length, 120);
    const sent = new Map(points.map((p) => [key(p), p]));
    let exact = 0;
    for (const item of items) {
      const p = sent.get(key(item));
      if (
        p &&
        item.indicatorId === indicatorId &&
        Object.is(item.value, p.value) &&
        item.note === (p.note ?? null) &&
        item.status === (p.status ?? null) &&
        item.source === (p.source ?? null) &&
        item.version === 1
      ) {
        exact++;
      } else {
        t.fail(`point ${key(item)} of ${indicatorId} differs`, { found: item, sent: p });
      }
    }
    t.equal(exact, 120, `all 120 points of ${indicatorId} read back exactly`);
    // Within each slice, ordered by period.
    const bySlice = new Map<string, string[]>();
    for (const item of items) {
      const slice = JSON.stringify(Object.entries(item.disaggregation).sort());
      bySlice.set(slice, [...(bySlice.get(slice) ?? []), item.period]);
    }
    for (const periods of bySlice.values()) t.same(periods, [...periods].sort(), 'periods in order within a slice');
  }

  // A fixed number of queries, whatever the size.
  const small = await post(`/initiatives/${initiative.id}/results`, { statement: 'Small' });
  const smallOutcome = await post(`/results/${small.id}/outcomes`, { title: 'Only' });
  await post(`/results/${small.id}/indicators`, {
    name: 'One',
    unit: 'count',
    polarity: 'higher_is_better',
    frequency: 'annual',
    outcomeId: smallOutcome.id,
  });
  const empty = await post(`/initiatives/${initiative.id}/results`, { statement: 'Empty' });

  const bigCount = await countedTreeQueries(result.id);
  const smallCount = await countedTreeQueries(small.id);
  const emptyCount = await countedTreeQueries(empty.id);
  t.strictSame(bigCount.body, expected, 'the counted app answers the same');
  t.ok(bigCount.count > 0, 'the counter sees the queries');
  t.equal(
    bigCount.count,
    smallCount.count,
    `large tree: ${bigCount.count} queries (${bigCount.kinds.join(', ')}); small: ${smallCount.count}`,
  );
  t.equal(emptyCount.count, smallCount.count, 'an empty tree takes as many');
  // Reading the bare result is one query; the tree adds its outcomes and its indicators, as documented.
  const resultOnly = await countedQueries(`/api/v1/results/${result.id}`);
  t.ok(
    bigCount.count - resultOnly.count <= 2,
    `the tree costs at most two queries more than the result alone (${bigCount.count} vs ${resultOnly.count})`,
  );
});
