/**
 * `npm test` runs the suite in shards: each file in test/shards/ is one process that runs a share of the test
 * files one after the other, each as a subtest named by its path, with its own timeout (tap's per-file one)
 * and its own time printed. Starting a process for a test file (Node, the TypeScript loader, ~1,650 modules of
 * the app, an embedded PostgreSQL) cost about as much CPU as the tests themselves; a shard pays it once.
 * docs/testing.md, "Shards".
 *
 * Which files: every `test/**\/*.test.ts` but the shards and the slow ones (package.json's tap.exclude, run
 * by `npm run test:slow`), so a new test file joins a shard without being listed anywhere. How they are
 * shared: longest first, each to the shard with the least time so far, by the seconds test/shards/weights.json
 * records for each file (`npm run test:weights` writes it from a run's output; a file it does not know counts
 * as the median file).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { t as root } from 'tap';
import { endShard, enterTestFile, leaveTestFile } from './tap.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const shardsDir = path.join(projectRoot, 'test', 'shards');
const shardFile = /^shard-(\d+)\.test\.ts$/;

/**
 * The test files the shards share: every test file but the shards and the slow ones, sorted — or, when
 * TEST_SHARD_FILES names a file listing test files one per line, those of them (CI's PostgreSQL pass runs the
 * files that use a database only: scripts/database-test-files.ts).
 */
export function shardedTestFiles(): string[] {
  const only = process.env.TEST_SHARD_FILES;
  const named = only
    ? new Set(
        readFileSync(only, 'utf8')
          .split('\n')
          .map((line) => line.trim()),
      )
    : null;
  return allShardedTestFiles().filter((file) => !named || named.has(file));
}

function allShardedTestFiles(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    tap: { exclude?: string[] };
  };
  const slow = new Set(manifest.tap.exclude ?? []);
  return (readdirSync(path.join(projectRoot, 'test'), { recursive: true }) as string[])
    .map((file) => `test/${file.split(path.sep).join('/')}`)
    .filter((file) => file.endsWith('.test.ts') && !file.startsWith('test/shards/') && !slow.has(file))
    .sort();
}

/** The shards' numbers (1, 2, …), from the files in test/shards/. */
export function shardNumbers(): number[] {
  return readdirSync(shardsDir)
    .map((name) => shardFile.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Seconds per test file from test/shards/weights.json; unknown files count as the median. */
function weights(files: string[]): Map<string, number> {
  const known = JSON.parse(readFileSync(path.join(shardsDir, 'weights.json'), 'utf8')) as Record<string, number>;
  const values = Object.values(known).sort((a, b) => a - b);
  const median = values.length ? values[Math.floor(values.length / 2)]! : 1;
  return new Map(files.map((file) => [file, known[file] ?? median]));
}

/**
 * Each shard's files: longest first, each to the shard with the least time so far (ties: the lowest
 * number). The same files and weights always give the same shares.
 *
 *   assignShards(['a', 'b', 'c'], 2, new Map([['a', 5], ['b', 3], ['c', 3]])) → [['a'], ['b', 'c']]
 */
export function assignShards(files: string[], count: number, weight: Map<string, number>): string[][] {
  const shards = Array.from({ length: count }, () => ({ files: [] as string[], seconds: 0 }));
  const ordered = [...files].sort((a, b) => weight.get(b)! - weight.get(a)! || a.localeCompare(b));
  for (const file of ordered) {
    const lightest = shards.reduce((best, shard) => (shard.seconds < best.seconds ? shard : best));
    lightest.files.push(file);
    lightest.seconds += weight.get(file)!;
  }
  return shards.map((shard) => shard.files.sort());
}

/** The files of the shard whose module is `shardUrl` (test/shards/shard-N.test.ts). */
export function filesOfShard(shardUrl: string): string[] {
  const number = Number(shardFile.exec(path.basename(fileURLToPath(shardUrl)))?.[1]);
  const numbers = shardNumbers();
  const index = numbers.indexOf(number);
  if (index < 0) throw new Error(`${shardUrl} is not a shard file (test/shards/shard-N.test.ts)`);
  const files = shardedTestFiles();
  return assignShards(files, numbers.length, weights(files))[index]!;
}

/** Runs the shard's files one after the other, each a subtest with tap's per-file timeout. */
export async function runShard(shardUrl: string): Promise<void> {
  const files = filesOfShard(shardUrl);
  if (files.length === 0) {
    root.plan(0, 'no test file falls to this shard');
    return;
  }
  const perFileMs = Number(process.env.TAP_TIMEOUT ?? 120) * 1000;
  // tap's per-file timeout is the shard's process's; every file in it gets one of its own.
  root.setTimeout(perFileMs * files.length);
  for (const file of files) {
    await root.test(file, { timeout: perFileMs }, async (t) => {
      enterTestFile(t);
      await import(pathToFileURL(path.join(projectRoot, file)).href);
    });
    leaveTestFile();
  }
  await endShard();
}
