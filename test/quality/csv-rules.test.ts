/**
 * Every rule kind through a CSV import (docs/data-quality.md): the result-level import writes several indicators
 * in one file, so `change`, `sum` and `compare` rules are judged on the file's own rows and on stored data, the
 * dry run lists each broken rule by row, and a refused file writes nothing.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';
import { addIndicator, allPoints, postCsv } from '../imports/helpers.ts';

t.test('change, sum and compare rules through a result-level CSV import', async (t) => {
  const api = await buildTestApp(t);
  const { result, indicator: enrolled } = await createFixture(api, {
    unit: 'count',
    code: 'ENROLLED',
    dimensions: [{ name: 'sex', values: ['female', 'male'] }],
    rules: [
      { code: 'groups_add_up', kind: 'sum', severity: 'error', dimension: 'sex' },
      { code: 'steady', kind: 'change', severity: 'warning', maxRelative: 0.5 },
    ],
  });
  const graduated = await addIndicator(api, result.id, {
    unit: 'count',
    code: 'GRADUATED',
    rules: [
      { code: 'at_most_enrolled', kind: 'compare', severity: 'error', operator: '<=', otherIndicatorId: enrolled.id },
    ],
  });
  const good = [
    'indicator,period,sex,value',
    'ENROLLED,2020,,100',
    'ENROLLED,2020,female,55',
    'ENROLLED,2020,male,45',
    'ENROLLED,2021,,200',
    'GRADUATED,2020,,90',
    'GRADUATED,2021,,150',
  ].join('\n');
  const dry = await postCsv(api, result.id, good, { level: 'result', query: 'dryRun=true' });
  t.equal(dry.status, 200, dry.raw);
  t.equal(dry.body.status, 'succeeded');
  t.same(
    dry.body.warnings.map((w: { row: number; code: string }) => [w.row, w.code]),
    [[5, 'steady']],
    'the change from 100 to 200 is a warning on row 5',
  );
  t.same(await allPoints(api, enrolled.id), [], 'a dry run writes nothing');

  const bad = [
    'indicator,period,sex,value',
    'ENROLLED,2020,,100',
    'ENROLLED,2020,female,55',
    'ENROLLED,2020,male,50',
    'GRADUATED,2020,,120',
  ].join('\n');
  const dryBad = await postCsv(api, result.id, bad, { level: 'result', query: 'dryRun=true' });
  t.equal(dryBad.body.status, 'rejected');
  t.same(
    dryBad.body.errors.map((e: { row: number; code: string }) => [e.row, e.code]).sort(),
    [
      [2, 'groups_add_up'],
      [5, 'at_most_enrolled'],
    ],
    'each broken rule by row: the sum on the first row of its period, the compare on its own row',
  );
  const refused = await postCsv(api, result.id, bad, { level: 'result' });
  t.equal(refused.status, 422);
  t.equal(refused.body.error.code, 'rule_violation');
  t.same(await allPoints(api, enrolled.id), [], 'nothing written');
  t.same(await allPoints(api, graduated.id), []);

  const written = await postCsv(api, result.id, good, { level: 'result' });
  t.equal(written.status, 200, written.raw);
  t.equal(written.body.warningCount, 1);
  // Stored data count too: a later file for the numerator alone is judged against the stored denominator.
  const later = await postCsv(api, result.id, 'indicator,period,value\nGRADUATED,2021,201\n', { level: 'result' });
  t.equal(later.status, 422);
  t.match(later.body.error.details[0].message, /201 should be at most 200, the value of ENROLLED for 2021/);
});
