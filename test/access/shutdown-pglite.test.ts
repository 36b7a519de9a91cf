/**
 * SIGTERM on the embedded PGlite database (a directory of its own) while a batch or a CSV import is still
 * uploading; the directory opens cleanly afterwards (the scenario: shutdown-scenario.ts). A batch being
 * written at SIGTERM is covered on PostgreSQL (shutdown.test.ts): the code path is the same.
 */
import t from '../helpers/tap.ts';
import { scenario, skipUnless } from './shutdown-scenario.ts';

const skip = skipUnless('pglite');
t.test('SIGTERM while a large batch is still uploading', { skip, timeout: 120_000 }, (t) =>
  scenario(t, { points: 5_000, when: 'upload', database: 'pglite', request: 'batch' }),
);
t.test('SIGTERM while a CSV import is still uploading', { skip, timeout: 120_000 }, (t) =>
  scenario(t, { points: 5_000, when: 'upload', database: 'pglite', request: 'import' }),
);
