/**
 * SIGTERM on PostgreSQL while a batch or a CSV import is in flight (the scenario: shutdown-scenario.ts).
 */
import t from '../helpers/tap.ts';
import { scenario, skipUnless } from './shutdown-scenario.ts';

const skip = skipUnless('postgres');
t.test('SIGTERM while a large batch is still uploading', { skip, timeout: 120_000 }, (t) =>
  scenario(t, { points: 5_000, when: 'upload', database: 'postgres', request: 'batch' }),
);
t.test('SIGTERM while a large batch is being written', { skip, timeout: 120_000 }, (t) =>
  scenario(t, { points: 10_000, when: 'write', database: 'postgres', request: 'batch' }),
);
t.test('SIGTERM while a CSV import is still uploading', { skip, timeout: 120_000 }, (t) =>
  scenario(t, { points: 5_000, when: 'upload', database: 'postgres', request: 'import' }),
);
