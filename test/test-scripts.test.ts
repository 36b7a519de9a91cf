/**
 * The suite is split in two scripts (README, "Tests"): `npm test` runs the shards (test/shards/), which share
 * every test file but the slow end-to-end ones listed in tap's `exclude` (browsers, servers in child processes,
 * the fuzz run), and `npm run test:slow` runs exactly those. Every test file runs in one of the two, none in
 * both and no file twice: a slow file left out of `test:slow`, or a new file, cannot drop out of the suite
 * unnoticed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { assignShards, filesOfShard, shardedTestFiles, shardNumbers } from './helpers/shards.ts';
import t from './helpers/tap.ts';

const root = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  scripts: Record<string, string>;
  tap: { include: string[]; exclude?: string[] };
};
const testFiles = (readdirSync(new URL('test/', root), { recursive: true }) as string[])
  .map((file) => `test/${file.split('\\').join('/')}`)
  .filter((file) => file.endsWith('.test.ts') && !file.startsWith('test/shards/'))
  .sort();

t.test('npm test finds every test file but the slow ones; npm run test:slow runs exactly those', async (t) => {
  t.same(manifest.tap.include, ['test/shards/*.test.ts'], 'npm test runs the shards');
  const excluded = [...(manifest.tap.exclude ?? [])].sort();
  const [command, ...words] = (manifest.scripts['test:slow'] ?? '').trim().split(/\s+/);
  t.equal(command, 'tap', 'test:slow is tap with a list of files');
  // Its options (a longer per-file timeout for the browser files) are not files.
  const slow = words.filter((word) => !word.startsWith('--'));
  t.same([...slow].sort(), excluded, "test:slow runs the files npm test's `exclude` leaves out, no more, no fewer");
  t.same(
    excluded.filter((file) => !testFiles.includes(file) || !existsSync(new URL(file, root))),
    [],
    'every slow file exists',
  );
  t.ok(excluded.length < testFiles.length / 4, `${excluded.length} of ${testFiles.length} files are slow ones`);
});

t.test('the shards run every test file but the slow ones, each exactly once', async (t) => {
  const slow = new Set(manifest.tap.exclude ?? []);
  const numbers = shardNumbers();
  t.ok(numbers.length >= 2, `${numbers.length} shards (tap runs two at a time)`);
  t.same(
    numbers,
    numbers.map((_, index) => index + 1),
    'numbered 1, 2, … with none missing',
  );
  t.same(
    shardedTestFiles(),
    testFiles.filter((file) => !slow.has(file)),
    'the shards share the files npm test is for',
  );
  const shares = numbers.map((n) =>
    filesOfShard(new URL(`shards/shard-${String(n).padStart(2, '0')}.test.ts`, import.meta.url).href),
  );
  t.same(shares.flat().sort(), shardedTestFiles(), 'each in one shard, none twice');
  t.notOk(
    shares.some((share) => share.length === 0),
    'no shard is empty',
  );
});

t.test('shares: longest first, each to the shard with the least time so far', async (t) => {
  const weight = new Map([
    ['a', 5],
    ['b', 3],
    ['c', 3],
    ['d', 1],
  ]);
  t.same(assignShards(['a', 'b', 'c', 'd'], 2, weight), [
    ['a', 'd'],
    ['b', 'c'],
  ]);
  t.same(
    assignShards(['d', 'c', 'b', 'a'], 2, weight),
    [
      ['a', 'd'],
      ['b', 'c'],
    ],
    'whatever order the files come in',
  );
  t.same(assignShards(['a', 'b'], 3, weight), [['a'], ['b'], []], 'more shards than files: some are empty');
});
