/**
 * A migrated, empty PGlite data directory, made once and shared by the test files: creating a PGlite database
 * runs initdb (~4.8 s per file on a 2-core machine); loading a dumped one takes ~1 s. The tarball is cached in
 * node_modules/.cache, keyed by the PGlite version and the migrations' source, so a changed migration makes a
 * new one. Test files run in parallel processes: each writes to its own temporary file and renames it, so a
 * reader never sees half a file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateToLatest, openDatabase } from '../../server/database.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cacheDir = path.join(root, 'node_modules', '.cache', 'rba-tests');

/** The PGlite version and every migration's source: what the snapshot's content depends on. */
function snapshotKey(): string {
  const hash = createHash('sha256');
  const pglitePackage = path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  hash.update(String((JSON.parse(readFileSync(pglitePackage, 'utf8')) as { version: string }).version));
  const migrationsDir = path.join(root, 'schema', 'migrations');
  for (const name of readdirSync(migrationsDir).sort()) {
    hash.update(name).update(readFileSync(path.join(migrationsDir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The migrated empty database as a `dumpDataDir` tarball; made (and cached) on first use. */
export async function migratedPgliteSnapshot(): Promise<Blob> {
  const file = path.join(cacheDir, `pglite-migrated-${snapshotKey()}.tar`);
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    // not made yet
  }
  const opened = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  try {
    await migrateToLatest(opened.db);
    const blob = await opened.dumpDataDir!();
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.from(await blob.arrayBuffer()));
    renameSync(temporary, file);
    return blob;
  } finally {
    await opened.close();
  }
}
