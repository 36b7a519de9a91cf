/**
 * `npm run import`: the command-line importer streams a file to a listening server, shows progress on
 * stderr, prints the outcome, and exits non-zero when the file is rejected. The command runs in-process
 * (its `main`), and once as a process, to check what the shell sees.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from '../helpers/tap.ts';
import { main } from '../../scripts/import-cli.ts';
import { buildTestApp, TEST_ADMIN_TOKEN } from '../helpers/test-app.ts';
import { createFixture } from './helpers.ts';

const api = await buildTestApp(t);
await api.app.listen({ port: 0, host: '127.0.0.1' });
const { port } = api.app.server.address() as { port: number };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rba-cli-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the command in-process (the entry point itself is run once as a process, below). */
async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    { ...process.env, RBA_TOKEN: '', ...env },
    { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } },
  );
  return { code, stdout, stderr };
}

/** Runs `scripts/import-cli.ts` as `npm run import` does: a process whose exit code is the outcome. */
function cliProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import-cli.ts', ...args], {
      env: { ...process.env, RBA_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
const file = (name: string, text: string) => {
  const full = path.join(dir, name);
  fs.writeFileSync(full, text);
  return full;
};

const { indicator, result } = await createFixture(api, {
  code: 'UNEMP',
  dimensions: [{ name: 'sex', values: ['female', 'male'] }],
});
const server = `http://127.0.0.1:${port}`;
// 2,000 rows, all of past years (1000–1999): the total, then the female group.
const rows = Array.from({ length: 2000 }, (_, i) => `${1000 + (i % 1000)},${i < 1000 ? '' : 'female'},${i / 10}`);
const good = file('good.csv', `period,sex,value\n${rows.join('\n')}\n`);

t.test('imports a file, with progress, token from RBA_TOKEN', async (t) => {
  const dry = await cli([good, '--indicator', indicator.id, '--server', server, '--dry-run'], {
    RBA_TOKEN: TEST_ADMIN_TOKEN,
  });
  t.equal(dry.code, 0, dry.stdout + dry.stderr);
  t.match(
    dry.stdout,
    /^Dry run \(nothing written\): 2,000 rows — 2,000 would be inserted, 0 would be updated, 0 unchanged/,
  );
  const run = await cli([good, '--indicator', indicator.id, '--server', server], { RBA_TOKEN: TEST_ADMIN_TOKEN });
  t.equal(run.code, 0, run.stdout + run.stderr);
  t.match(
    run.stdout,
    /^Imported: 2,000 rows — 2,000 inserted, 0 updated, 0 unchanged, 0 skipped, 0 rejected \(import [0-9a-f-]{36}\)\.\n$/,
  );
  t.match(run.stderr, /\r\[#{30}\] 100% 0\.0 MB \/ 0\.0 MB · 2,000 rows · [\d,]+ rows\/s\n/);
  const again = await cli([good, '--result', result.id, '--server', server, '--token', TEST_ADMIN_TOKEN]);
  t.equal(again.code, 1, 'a result-level import needs the indicator column');
  t.match(again.stdout, /^Not imported \(HTTP 400\): The header \(row 1\) cannot be used: missing "indicator"/);
});

t.test('prints every rejected row and exits 1', async (t) => {
  const bad = file('bad.csv', 'period,sex,value\n2020,female,1\n2021,other,2\n2022,,x\n');
  const run = await cli([bad, '--indicator', indicator.id, '--server', server, '--token', TEST_ADMIN_TOKEN]);
  t.equal(run.code, 1);
  t.match(run.stdout, /^Not imported \(HTTP 422\): 2 of 3 rows cannot be imported/);
  t.match(
    run.stdout,
    /\n {2}row 3, sex: "other" is not a declared value of sex \(female, male\)\n {2}row 4, value: "x" is not a number\n$/,
  );
  const dry = await cli([
    bad,
    '--indicator',
    indicator.id,
    '--server',
    server,
    '--token',
    TEST_ADMIN_TOKEN,
    '--dry-run',
  ]);
  t.equal(dry.code, 1, 'a dry run that finds errors exits 1 too');
  t.match(dry.stdout, /2 errors:\n {2}row 3, sex: /);
});

t.test('usage and connection errors', async (t) => {
  const usage = await cli([good]);
  t.equal(usage.code, 2);
  t.match(usage.stderr, /Give either --indicator <id> or --result <id>\.\nUsage: npm run import/);
  const missing = await cli([path.join(dir, 'nope.csv'), '--indicator', indicator.id]);
  t.equal(missing.code, 2);
  const anonymous = await cli([good, '--indicator', indicator.id, '--server', server]);
  t.equal(anonymous.code, 1);
  t.match(anonymous.stdout, /^Not imported \(HTTP 401\)/);
  const down = await cli([good, '--indicator', indicator.id, '--server', 'http://127.0.0.1:1', '--token', 'x']);
  t.equal(down.code, 1);
  t.match(down.stderr, /Could not import: .*is the server running at http:\/\/127\.0\.0\.1:1\?/);
});

t.test('as a process: the exit code is the outcome', async (t) => {
  const rejected = await cliProcess([good, '--indicator', indicator.id, '--server', server]);
  t.equal(rejected.code, 1, 'an anonymous import is refused: exit 1');
  t.match(rejected.stdout, /^Not imported \(HTTP 401\)/);
  const usage = await cliProcess([]);
  t.equal(usage.code, 2, 'a usage error: exit 2');
  t.match(usage.stderr, /Usage: npm run import/);
});
