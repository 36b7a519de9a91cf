/**
 * Limits of the CSV reader against hostile files: one enormous cell inside a small gzip (decompression
 * amplification), a quote never closed, and a file that unpacks beyond the size limit — each refused while
 * reading, with nothing written.
 */
import t from '../helpers/tap.ts';
import { gzipSync } from 'node:zlib';
import { buildTestApp } from '../helpers/test-app.ts';
import { allPoints, createFixture, postCsv } from './helpers.ts';

const api = await buildTestApp(t);

t.test('a small gzip whose one cell unpacks to 64 MB is a 400 at once, not a memory spike', async (t) => {
  const { indicator } = await createFixture(api);
  const body = gzipSync(
    Buffer.concat([Buffer.from('period,value,note\n2020,1,"'), Buffer.alloc(64 * 1024 * 1024, 'a')]),
  );
  t.ok(body.length < 200_000, `${body.length} bytes sent`);
  const started = performance.now();
  const res = await postCsv(api, indicator.id, body, { headers: { 'content-encoding': 'gzip' } });
  const ms = performance.now() - started;
  t.equal(res.status, 400, res.raw.slice(0, 300));
  t.match(res.body.error, { code: 'malformed_csv', details: [{ path: 'rows.2', code: 'malformed_csv' }] });
  t.match(res.body.error.message, /row 2: a row is longer than 64 KiB/);
  // Holding the whole cell took ~3 s per 100 MB; stopping at 64 KiB takes milliseconds.
  t.ok(ms < 3_000, `answered in ${Math.round(ms)} ms`);
  t.same(await allPoints(api, indicator.id), []);
});

t.test('a quote never closed is refused where it opens, not at the end of the file', async (t) => {
  const { indicator } = await createFixture(api);
  const csv = 'period,value,note\n2020,1,fine\n2021,2,"opened and never closed\n' + '2022,3,more\n'.repeat(50_000);
  const res = await postCsv(api, indicator.id, csv);
  t.equal(res.status, 400);
  t.match(res.body.error, { code: 'malformed_csv', details: [{ path: 'rows.3' }] });
  t.match(res.body.error.message, /row 3: a row is longer than 64 KiB \(is a quote never closed\?\)/);
  t.same(await allPoints(api, indicator.id), []);
});

t.test('a file that unpacks beyond the size limit is a 413 while it is read', async (t) => {
  const small = await buildTestApp(t, { maxImportBytes: 1024 * 1024 });
  const { indicator } = await createFixture(small);
  const csv = 'period,value,note\n' + `2020,1,${'x'.repeat(100)}\n`.repeat(30_000); // ~3 MB, ~10 KB gzip
  const body = gzipSync(csv);
  t.ok(body.length < 1024 * 1024, 'the body as sent is within the limit');
  const res = await postCsv(small, indicator.id, body, { headers: { 'content-encoding': 'gzip' } });
  t.equal(res.status, 413);
  t.match(res.body.error, { code: 'body_too_large', message: /larger than 1 MB \(once unpacked\)/ });
  t.same(await allPoints(small, indicator.id), []);
  const plain = await postCsv(small, indicator.id, csv);
  t.equal(plain.status, 413, 'the same file uncompressed: 413 too');
});

t.test('a long but ordinary row still imports', async (t) => {
  const { indicator } = await createFixture(api);
  const res = await postCsv(api, indicator.id, `period,value,note\n2020,1,"${'n'.repeat(4_000)}"\n`);
  t.equal(res.status, 200, res.raw);
  t.equal((await allPoints(api, indicator.id))[0]?.note?.length, 4_000);
});
