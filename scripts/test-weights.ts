/**
 * Writes test/shards/weights.json — the seconds each test file took — from the output of a test run, so
 * that the shards (test/helpers/shards.ts) stay about even as the suite grows:
 *
 *   npm test | tee /tmp/npm-test.log && npm run test:weights -- /tmp/npm-test.log
 *
 * Reads the lines tap prints for each file, alone (`ok 3 - test/a.test.ts # time=4007.3ms`) or in a shard
 * (the same line, indented); a file the run did not time keeps its old weight.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const logFile = process.argv[2];
if (!logFile) {
  process.stderr.write('usage: npm run test:weights -- <the output of npm test>\n');
  process.exit(2);
}
const target = new URL('../test/shards/weights.json', import.meta.url);
const weights = JSON.parse(readFileSync(target, 'utf8')) as Record<string, number>;
let timed = 0;
for (const line of readFileSync(logFile, 'utf8').split('\n')) {
  const match = /^\s*(?:not )?ok \d+ - (test\/\S+\.test\.ts) # time=([\d.]+)ms/.exec(line);
  if (!match || match[1]!.startsWith('test/shards/')) continue;
  weights[match[1]!] = Math.round(Number(match[2]) / 100) / 10;
  timed++;
}
const sorted = Object.fromEntries(Object.entries(weights).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(target, `${JSON.stringify(sorted, null, 2)}\n`);
process.stdout.write(`${timed} files timed; ${Object.keys(sorted).length} weights in test/shards/weights.json\n`);
