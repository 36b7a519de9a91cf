/**
 * Writes the golden files `test/dashboards/golden/*.vl.json` from the fixed fixtures (`npm run golden`), and deletes
 * any `*.vl.json` there that no case produces. Deterministic: the fixtures have fixed ids, timestamps and data,
 * and the builders are pure, so running it twice changes nothing. Review the diff before committing: it is the
 * chart change.
 */
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GOLDEN_CASES, goldenText } from './cases.ts';

// Only with --write (`npm run golden`): `npx tap test/dashboards` runs every file of the folder, and must never
// rewrite the files the golden test compares against.
if (!process.argv.includes('--write')) {
  console.log('Run `npm run golden` (this script with --write) to rewrite the golden files.');
  process.exit(0);
}

const here = dirname(fileURLToPath(import.meta.url));
const wanted = new Set(GOLDEN_CASES.map((c) => c.file));

for (const name of readdirSync(here)) {
  if (name.endsWith('.vl.json') && !wanted.has(name)) {
    unlinkSync(join(here, name));
    console.log(`deleted   ${name}`);
  }
}
for (const { file, build } of GOLDEN_CASES) {
  const path = join(here, file);
  const text = goldenText(build());
  let before: string | null = null;
  try {
    before = readFileSync(path, 'utf8');
  } catch {
    // a new golden file
  }
  if (before === text) {
    console.log(`unchanged ${file}`);
  } else {
    writeFileSync(path, text);
    console.log(`${before === null ? 'created  ' : 'updated  '} ${file}`);
  }
}
