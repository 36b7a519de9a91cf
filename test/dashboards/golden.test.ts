/**
 * Golden files: the builders' output for the fixed fixtures must equal `test/dashboards/golden/*.vl.json` exactly, so
 * a chart change shows as a diff in review. After an intended change run `npm run golden` and review the diff.
 * Every golden spec is also valid, compiles and renders without a warning.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from '../helpers/tap.ts';
import type { TopLevelSpec } from 'vega-lite';
import { GOLDEN_CASES, goldenText } from './golden/cases.ts';
import { checkSpec } from './helpers.ts';

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), 'golden');

t.test("the golden files are exactly the builders' output (run `npm run golden` after an intended change)", (t) => {
  for (const { file, build } of GOLDEN_CASES) {
    const expected = readFileSync(join(goldenDir, file), 'utf8');
    t.equal(goldenText(build()), expected, file);
  }
  t.end();
});

t.test('no stray golden file', (t) => {
  const files = readdirSync(goldenDir)
    .filter((f) => f.endsWith('.vl.json'))
    .sort();
  t.same(files, GOLDEN_CASES.map((c) => c.file).sort());
  t.end();
});

t.test('building twice gives the same text (the regeneration is deterministic)', (t) => {
  for (const { file, build } of GOLDEN_CASES) t.equal(goldenText(build()), goldenText(build()), file);
  t.end();
});

t.test('every golden spec is valid, compiles and renders without a warning', async (t) => {
  for (const { file } of GOLDEN_CASES) {
    const spec = JSON.parse(readFileSync(join(goldenDir, file), 'utf8')) as TopLevelSpec;
    await checkSpec(t, spec, file);
  }
  t.end();
});
