import t from '../helpers/tap.ts';
import { ChangeGeneration } from '../../server/cache/change-generation.ts';
import { ResponseCache } from '../../server/cache/response-cache.ts';

/** A computation that resolves when told to, counting how often it was started. */
function gate(body: string) {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  const started = { count: 0 };
  const compute = async () => {
    started.count += 1;
    await opened;
    return { body, contentType: 'application/json' };
  };
  return { compute, release, started };
}

t.test('requests that miss together share one computation', async (t) => {
  const cache = new ResponseCache(new ChangeGeneration());
  const { compute, release, started } = gate('{"a":1}');
  const answers = Array.from({ length: 50 }, () => cache.getOrCompute('public chart', compute));
  release();
  const entries = await Promise.all(answers);
  t.equal(started.count, 1, 'one computation for 50 concurrent misses');
  t.ok(
    entries.every((e) => e === entries[0]),
    'all get the same entry',
  );
  t.equal(cache.get('public chart'), entries[0], 'and it is kept');
});

t.test('a request after the generation moved does not join a computation of older data', async (t) => {
  const generation = new ChangeGeneration();
  const cache = new ResponseCache(generation);
  const before = gate('{"v":"old"}');
  const old = cache.getOrCompute('public chart', before.compute);
  generation.bump(); // a write committed meanwhile
  const after = gate('{"v":"new"}');
  const fresh = cache.getOrCompute('public chart', after.compute);
  before.release();
  after.release();
  t.equal((await old).body, '{"v":"old"}');
  t.equal((await fresh).body, '{"v":"new"}', 'computed again, from data at least as new as the request');
  t.equal(cache.get('public chart')?.body, '{"v":"new"}', 'the stale one was served, never kept');
});

t.test('a failed computation is shared by its waiters, then forgotten', async (t) => {
  const cache = new ResponseCache(new ChangeGeneration());
  let calls = 0;
  const failing = async () => {
    calls += 1;
    throw new Error('database down');
  };
  const results = await Promise.allSettled([cache.getOrCompute('k', failing), cache.getOrCompute('k', failing)]);
  t.same(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  t.equal(calls, 1);
  const ok = await cache.getOrCompute('k', async () => ({ body: 'x', contentType: 'text/plain' }));
  t.equal(ok.body, 'x', 'the next request tries again');
});
