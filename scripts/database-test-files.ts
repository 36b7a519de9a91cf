/**
 * Prints the test files that can reach a database (those that import server/database.ts, directly or through
 * the app or a helper, or that read TEST_DATABASE — themselves or through a helper — to start a server of
 * their own), one per line. `.ci/run` runs the suite's second pass, on PostgreSQL, on these only: the
 * others (engine, chart builders, contracts…) never touch a database, and their checks pass or fail the same
 * on either.
 *
 *   npx tsx scripts/database-test-files.ts
 */
import { readFileSync } from 'node:fs';
import { cruise } from 'dependency-cruiser';

const result = await cruise(['test'], { tsPreCompilationDeps: true, doNotFollow: { path: 'node_modules' } });
if (typeof result.output === 'string') throw new Error('dependency-cruiser answered text, not modules');
const modules = new Map(result.output.modules.map((m) => [m.source, m.dependencies.map((d) => d.resolved)]));

const reaches = new Map<string, boolean>();
function reachesDatabase(source: string, visiting = new Set<string>()): boolean {
  const known = reaches.get(source);
  if (known !== undefined) return known;
  if (source === 'server/database.ts') return true;
  if (source.startsWith('test/') && readFileSync(source, 'utf8').includes('TEST_DATABASE')) return true;
  if (visiting.has(source)) return false;
  visiting.add(source);
  const answer = (modules.get(source) ?? []).some((dependency) => reachesDatabase(dependency, visiting));
  reaches.set(source, answer);
  return answer;
}

const files = [...modules.keys()]
  .filter((source) => source.endsWith('.test.ts'))
  .filter((source) => reachesDatabase(source))
  .sort();
process.stdout.write(`${files.join('\n')}\n`);
