/**
 * Deadlines, worked by hand: when data are due (reporting lag after the period ends), which period is
 * expected by a date, fresh or overdue, quick wins and on-time actions.
 */
import t from '../helpers/tap.ts';
import {
  actionTiming,
  addLag,
  assessFreshness,
  dataDueDate,
  daysBetween,
  expectedPeriod,
  isQuickWin,
  periodIndexOfDate,
  utcDate,
} from '../../server/domain/freshness.ts';
import { periodIndex, periodLabel } from '../../server/engine/periods.ts';

const sixMonths = { amount: 6, unit: 'months' } as const;
const annual = { frequency: 'annual' } as const;

t.test('adding a lag', async (t) => {
  t.equal(addLag('2024-12-31', sixMonths), '2025-06-30', 'a month end stays a month end');
  t.equal(addLag('2024-08-31', { amount: 6, unit: 'months' }), '2025-02-28');
  t.equal(addLag('2023-08-31', { amount: 6, unit: 'months' }), '2024-02-29', 'leap year');
  t.equal(
    addLag('2024-02-29', { amount: 1, unit: 'months' }),
    '2024-03-31',
    'end of February + 1 month = end of March',
  );
  t.equal(addLag('2024-03-15', { amount: 1, unit: 'months' }), '2024-04-15', 'mid-month keeps its day');
  t.equal(addLag('2024-01-31', { amount: 2, unit: 'weeks' }), '2024-02-14');
  t.equal(addLag('2024-12-31', { amount: 45, unit: 'days' }), '2025-02-14');
  t.equal(addLag('2024-12-31', { amount: 0, unit: 'days' }), '2024-12-31');
  t.equal(addLag('2025-06-30', sixMonths, -1), '2024-12-31', 'backwards');
  t.equal(addLag('2024-11-30', { amount: 14, unit: 'months' }), '2026-01-31', 'across two year ends');
  t.equal(daysBetween('2024-06-30', '2025-07-01'), 366);
});

t.test("when a period's data are due", async (t) => {
  t.equal(dataDueDate('2024', annual, sixMonths), '2025-06-30', 'annual data 6 months after the year ends');
  t.equal(
    dataDueDate('2024-25', { frequency: 'annual', yearStartMonth: 7 }, { amount: 3, unit: 'months' }),
    '2025-09-30',
    'school year July–June',
  );
  t.equal(
    dataDueDate('2024-Q3', { frequency: 'quarterly' }, { amount: 45, unit: 'days' }),
    '2024-11-14',
    '30 Sep + 45 days',
  );
  t.equal(dataDueDate('2024-02', { frequency: 'monthly' }, { amount: 1, unit: 'months' }), '2024-03-31');
  t.equal(
    dataDueDate('2024-W05', { frequency: 'weekly' }, { amount: 1, unit: 'weeks' }),
    '2024-02-11',
    'week 5 ends Sunday 4 Feb',
  );
  t.equal(dataDueDate('2024-07-15', { frequency: 'daily' }, { amount: 2, unit: 'days' }), '2024-07-17');
});

t.test('the period containing a date', async (t) => {
  const cases: Array<[string, Parameters<typeof periodIndexOfDate>[1], string]> = [
    ['2024-03-01', annual, '2024'],
    ['2024-06-30', { frequency: 'annual', yearStartMonth: 7 }, '2023-24'],
    ['2024-07-01', { frequency: 'annual', yearStartMonth: 7 }, '2024-25'],
    ['2024-09-30', { frequency: 'quarterly' }, '2024-Q3'],
    ['2024-10-01', { frequency: 'quarterly' }, '2024-Q4'],
    ['2024-12-31', { frequency: 'monthly' }, '2024-12'],
    ['2024-12-30', { frequency: 'weekly' }, '2025-W01'],
    ['2021-01-03', { frequency: 'weekly' }, '2020-W53'],
    ['2024-02-29', { frequency: 'daily' }, '2024-02-29'],
  ];
  for (const [date, calendar, label] of cases) {
    t.equal(
      periodLabel(periodIndexOfDate(date, calendar), calendar),
      label,
      `${date} is in ${label} (${calendar.frequency})`,
    );
  }
});

t.test('the expected period: the latest one due before today', async (t) => {
  t.equal(expectedPeriod(annual, sixMonths, '2025-06-30'), '2023', '2024 is due that very day, not yet late');
  t.equal(expectedPeriod(annual, sixMonths, '2025-07-01'), '2024');
  t.equal(expectedPeriod(annual, sixMonths, '2026-06-30'), '2024');
  t.equal(expectedPeriod({ frequency: 'quarterly' }, { amount: 45, unit: 'days' }, '2024-11-15'), '2024-Q3');
  t.equal(expectedPeriod({ frequency: 'quarterly' }, { amount: 45, unit: 'days' }, '2024-11-14'), '2024-Q2');
  t.equal(
    expectedPeriod({ frequency: 'monthly' }, { amount: 0, unit: 'days' }, '2024-03-01'),
    '2024-02',
    'no lag: due when the month ends',
  );
  t.equal(
    expectedPeriod({ frequency: 'weekly' }, { amount: 3, unit: 'days' }, '2024-02-08'),
    '2024-W05',
    'week 5 due Wed 7 Feb',
  );
  t.equal(
    expectedPeriod({ frequency: 'daily' }, { amount: 400, unit: 'days' }, '2025-02-05'),
    '2024-01-01',
    'a long lag: 400 days',
  );
  t.equal(
    expectedPeriod({ frequency: 'annual', yearStartMonth: 9 }, { amount: 10, unit: 'months' }, '2026-07-01'),
    '2024-25',
    'Sept–Aug year due the next June',
  );
  // Property: for every frequency and many dates, the expected period is due before today and the next is not.
  const calendars = [
    annual,
    { frequency: 'annual', yearStartMonth: 4 },
    { frequency: 'quarterly' },
    { frequency: 'monthly' },
    { frequency: 'weekly' },
    { frequency: 'daily' },
  ] as const;
  const lags = [
    { amount: 0, unit: 'days' },
    { amount: 45, unit: 'days' },
    { amount: 3, unit: 'weeks' },
    { amount: 6, unit: 'months' },
    { amount: 18, unit: 'months' },
  ] as const;
  let checked = 0;
  for (const calendar of calendars) {
    for (const lag of lags) {
      for (let day = 0; day < 800; day += 37) {
        const today = addLag('2023-01-01', { amount: day, unit: 'days' });
        const expected = expectedPeriod(calendar, lag, today);
        const next = periodLabel(periodIndex(expected, calendar) + 1, calendar);
        if (!(dataDueDate(expected, calendar, lag) < today && dataDueDate(next, calendar, lag) >= today)) {
          t.fail(`${calendar.frequency} lag ${lag.amount} ${lag.unit} on ${today}: ${expected}`);
        }
        checked++;
      }
    }
  }
  t.equal(checked, 6 * 5 * 22, `${checked} cases, each the latest period due before the day`);
});

t.test('freshness of an indicator', async (t) => {
  const now = new Date('2025-07-01T12:00:00Z');
  const overdue = assessFreshness({ calendar: annual, reportingLag: sixMonths, latestPeriod: '2022' }, now);
  t.same(overdue, {
    status: 'overdue',
    reportingLag: sixMonths,
    latestPeriod: '2022',
    expectedPeriod: '2024',
    expectedDueDate: '2025-06-30',
    nextPeriod: '2023',
    nextDueDate: '2024-06-30',
    periodsBehind: 2,
    daysOverdue: 366,
    reason: 'The data for 2023 were due by 2024-06-30 (366 days ago); 2 periods are missing up to 2024.',
  });

  const fresh = assessFreshness({ calendar: annual, reportingLag: sixMonths, latestPeriod: '2024' }, now);
  t.equal(fresh.status, 'fresh');
  t.equal(fresh.periodsBehind, 0);
  t.equal(fresh.nextPeriod, '2025');
  t.equal(fresh.nextDueDate, '2026-06-30');
  t.equal(fresh.daysOverdue, null);

  const onTheDay = assessFreshness(
    { calendar: annual, reportingLag: sixMonths, latestPeriod: '2023' },
    new Date('2025-06-30T23:59:59Z'),
  );
  t.equal(onTheDay.status, 'fresh', 'on its due date, 2024 is not yet late');
  const dayAfter = assessFreshness(
    { calendar: annual, reportingLag: sixMonths, latestPeriod: '2023' },
    new Date('2025-07-01T00:00:00Z'),
  );
  t.equal(dayAfter.status, 'overdue');
  t.equal(dayAfter.daysOverdue, 1);
  t.equal(dayAfter.reason, 'The data for 2024 were due by 2025-06-30 (1 day ago); 1 period is missing up to 2024.');

  const ahead = assessFreshness(
    { calendar: { frequency: 'quarterly' }, reportingLag: { amount: 45, unit: 'days' }, latestPeriod: '2025-Q3' },
    now,
  );
  t.equal(ahead.status, 'fresh', 'data entered before they are due are fresh');
  t.equal(ahead.expectedPeriod, '2025-Q1');

  const none = assessFreshness({ calendar: annual, reportingLag: sixMonths, latestPeriod: null }, now);
  t.same(
    [none.status, none.expectedPeriod, none.expectedDueDate, none.nextPeriod],
    ['no_data', '2024', '2025-06-30', null],
  );

  const noLag = assessFreshness({ calendar: annual, reportingLag: null, latestPeriod: '2010' }, now);
  t.same([noLag.status, noLag.expectedPeriod, noLag.latestPeriod], ['no_expectation', null, '2010']);
});

t.test('quick wins and on-time actions', async (t) => {
  t.equal(isQuickWin('2009-07-01', '2009-09-28'), true, '89 days');
  t.equal(isQuickWin('2009-07-01', '2009-09-29'), true, '90 days');
  t.equal(isQuickWin('2009-07-01', '2009-09-30'), false, '91 days');
  t.equal(isQuickWin('2024-01-01', '2024-01-01'), true, 'same day');
  const today = '2026-02-01';
  t.equal(actionTiming({ status: 'in_progress', due: '2026-01-31', completedOn: null }, today), 'overdue');
  t.equal(
    actionTiming({ status: 'planned', due: '2026-02-01', completedOn: null }, today),
    'open',
    'due today is not yet overdue',
  );
  t.equal(actionTiming({ status: 'done', due: '2026-01-31', completedOn: '2026-01-31' }, today), 'on_time');
  t.equal(actionTiming({ status: 'done', due: '2026-01-31', completedOn: '2026-02-01' }, today), 'late');
  t.equal(
    actionTiming({ status: 'dropped', due: '2020-01-01', completedOn: null }, today),
    'dropped',
    'dropped actions are never overdue',
  );
  t.equal(utcDate(new Date('2026-02-01T23:30:00-05:00')), '2026-02-02', 'dates are UTC');
});
