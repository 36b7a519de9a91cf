/**
 * The suite is split in two scripts (README, "Tests"): `npm test` runs every test file tap's `include` finds
 * except the slow end-to-end ones listed in its `exclude` (browsers, servers in child processes, the fuzz run),
 * and `npm run test:slow` runs exactly those. Every test file runs in one of the two, none in both: a slow file
 * left out of `test:slow`, or a new file named in neither list, cannot drop out of the suite unnoticed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import t from 'tap';

const root = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  scripts: Record<string, string>;
  tap: { include: string[]; exclude?: string[] };
};
const testFiles = (readdirSync(new URL('test/', root), { recursive: true }) as string[])
  .map((file) => `test/${file.split('\\').join('/')}`)
  .filter((file) => file.endsWith('.test.ts'))
  .sort();

t.test('npm test finds every test file but the slow ones; npm run test:slow runs exactly those', async (t) => {
  t.same(manifest.tap.include, ['test/**/*.test.ts'], 'npm test looks at every test file');
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
