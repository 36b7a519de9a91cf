/**
 * `npm install` on the oldest Node the project supports (package.json `engines`, the README's "20.19 or
 * newer") prints no EBADENGINE warning: every package the lock file installs accepts that version. A package
 * that needs a newer Node is pinned to an older release or overridden (package.json `overrides`).
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import t from './helpers/tap.ts';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));
const manifest = read('package.json') as { engines: { node: string } };
const lock = read('package-lock.json') as { packages: Record<string, { engines?: { node?: string } | string[] }> };

t.test('every locked package runs on the oldest supported Node', async (t) => {
  const oldest = semver.minVersion(manifest.engines.node)?.version;
  t.equal(oldest, '20.19.0', 'package.json names Node 20.19 as the oldest, as the README does');
  const refusing = Object.entries(lock.packages)
    .map(([path, entry]) => ({ path, range: Array.isArray(entry.engines) ? undefined : entry.engines?.node }))
    .filter(({ range }) => range !== undefined && !semver.satisfies(oldest!, range))
    .map(({ path, range }) => `${path.replace(/^.*node_modules\//, '')} needs node ${range}`);
  t.same(refusing, [], 'no package asks for a newer Node');
});
