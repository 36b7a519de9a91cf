/**
 * A newcomer's first hour, with the real server in child processes on a fresh embedded database: a start
 * without any administrator says it is read-only and how to get a first token; `npm run token -- --role admin`
 * gives one that writes; a second server on the same directory refuses before touching it; a taken port is
 * one clear line; `GET /` is a page linking the docs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from '../helpers/tap.ts';
import { freePort } from '../helpers/free-port.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'rba-first-hour-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

/**
 * Runs a script as `npm start` and `npm run token` do (TypeScript through tsx), in one process: `node --import
 * tsx`, not the `tsx` command. That command runs the script in a child of its own and relays a SIGTERM to it,
 * but waits only 30 ms for the child to confirm; on a busy machine it then kills the child with SIGKILL and
 * exits 143, and the server's own clean stop (the check below) never runs.
 */
function run(script: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SEED_DEMO: 'false', PGLITE_DIR: dir, ...env },
  });
  let text = '';
  child.stdout.on('data', (c) => (text += String(c)));
  child.stderr.on('data', (c) => (text += String(c)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    output: () => text,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

t.test('first hour on an empty embedded database', async (t) => {
  const port = await freePort();
  const first = run('server/main.ts', [], { PORT: String(port) });
  t.teardown(() => first.stop());
  await until('the first server', () => first.output().includes('API docs at') || first.output().includes('Error'));
  await until('its read-only warning', () => first.output().includes('READ-ONLY'), 5_000);
  t.match(first.output(), /READ-ONLY: .*npm run token -- --role admin/, 'says how to get a first token');

  const home = await fetch(`http://127.0.0.1:${port}/`);
  t.equal(home.status, 200);
  t.match(home.headers.get('content-type'), /text\/html/);
  const homeHtml = await home.text();
  t.match(homeHtml, /<a href="\/docs">/, 'the page links the API documentation');
  t.match(homeHtml, /<a href="\/app">Workspace<\/a>/, 'and the workspace, where people enter data');
  const write = await fetch(`http://127.0.0.1:${port}/api/v1/initiatives`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"name":"x"}',
  });
  t.equal(write.status, 401, 'read-only indeed');

  const second = run('server/main.ts', [], { PORT: String(await freePort()) });
  t.equal(await second.exited, 1, 'a second server on the same directory stops');
  t.match(second.output(), /Another process .* is using the embedded database/);
  t.notMatch(second.output(), /migrat|API docs|at .*\.ts:\d+/, 'before touching the database, and without a stack');

  const taken = run('server/main.ts', [], { PORT: String(port) });
  t.equal(await taken.exited, 1, 'a taken port stops the start');
  const lines = taken.output().trim().split('\n');
  t.match(lines.at(-1), new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
  t.equal(lines.length, 1, 'one line');
  t.notMatch(taken.output(), /EADDRINUSE| {4}at /, 'no stack');

  t.equal(await first.stop(), 0, 'the first server stops cleanly');
  const token = run('scripts/token.ts', ['--role', 'admin', '--name', 'Newcomer'], {});
  t.equal(await token.exited, 0, token.output());
  const secret = token.output().trim().split('\n').at(-1)!;
  t.match(secret, /^\S{20,}$/, 'the secret is the last line');

  const again = run('server/main.ts', [], { PORT: String(port) });
  t.teardown(() => again.stop());
  await until('the restarted server', () => again.output().includes('API docs at'));
  t.notMatch(again.output(), /READ-ONLY/, 'no warning once an administrator token exists');
  const created = await fetch(`http://127.0.0.1:${port}/api/v1/initiatives`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: '{"name":"Detroit Jobs Partnership"}',
  });
  t.equal(created.status, 201, 'the first write works');
  t.equal(await again.stop(), 0);
});
