/**
 * The `t` every test file imports instead of tap's own: tap's root test when the file runs alone
 * (`npx tap test/routes/tree.test.ts`), the file's own subtest when a shard runs it with other files in one
 * process (test/shards/, docs/testing.md "Shards"). A file's top-level `t.test`, `t.before` and `t.teardown`
 * then belong to that file: its teardowns run when it ends, not when the shard's process does, and its time
 * is printed on its own line.
 */
import { t as root, type Test } from 'tap';

type Tap = typeof root;

let current: Test = root;

/** From now on `t` stands for `test`, a shard's subtest for the file it is about to import. */
export function enterTestFile(test: Test): void {
  current = test;
}

/**
 * Back to tap's root once the file's subtest has ended (its own subtests and teardowns run after its module
 * has been imported: `t` stays theirs until then).
 */
export function leaveTestFile(): void {
  current = root;
}

const shardEndings: Array<() => Promise<void> | void> = [];

/** `fn` runs once the shard has run all its files (a resource its files shared, say). */
export function atShardEnd(fn: () => Promise<void> | void): void {
  shardEndings.push(fn);
}

/** Runs what `atShardEnd` registered (test/helpers/shards.ts, after the last file). */
export async function endShard(): Promise<void> {
  for (const fn of shardEndings.splice(0)) await fn();
}

/** True while a shard runs the calling file (several files share this process and its database). */
export function inShard(): boolean {
  return current !== root;
}

const t = new Proxy(root, {
  get(_target, key) {
    const value = Reflect.get(current, key, current) as unknown;
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
  },
  set(_target, key, value) {
    return Reflect.set(current, key, value, current);
  },
}) as Tap;

export default t;
