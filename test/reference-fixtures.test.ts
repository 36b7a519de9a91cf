/**
 * test/fixtures/reference holds the public reference vectors (NIST, Statistics Canada, qicharts2, Sen) that the
 * engine's tests read, copied unchanged from the team's shared reference set so that a clone runs alone. Where
 * the shared set is beside the repository, every file of it must equal its copy here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from './helpers/tap.ts';

const copies = fileURLToPath(new URL('./fixtures/reference/', import.meta.url));
const shared = fileURLToPath(new URL('../../shared/reference/', import.meta.url));

t.ok(
  readdirSync(copies).some((name) => name.endsWith('.json')),
  'the copies are in the repository',
);
if (!existsSync(shared)) {
  t.comment('the shared reference set is not beside this clone: nothing to compare the copies with');
} else {
  for (const name of readdirSync(shared)) {
    t.ok(existsSync(copies + name), `${name} is copied`);
    if (existsSync(copies + name))
      t.ok(readFileSync(copies + name).equals(readFileSync(shared + name)), `${name}: the copy is unchanged`);
  }
}
