import fc from 'fast-check';
import t from '../helpers/tap.ts';
import {
  describeExpectedLabel,
  expectedShape,
  FREQUENCIES,
  isPeriodLabel,
  nextPeriod,
  parsePeriod,
  periodDateRange,
  periodIndex,
  periodLabel,
  periodsPerYear,
  shapesOf,
  yearsBetween,
  type PeriodCalendar,
} from '../../server/engine/periods.ts';

const ANNUAL: PeriodCalendar = { frequency: 'annual' };
const FISCAL_JUL: PeriodCalendar = { frequency: 'annual', yearStartMonth: 7 };
const QUARTERLY: PeriodCalendar = { frequency: 'quarterly' };
const MONTHLY: PeriodCalendar = { frequency: 'monthly' };
const WEEKLY: PeriodCalendar = { frequency: 'weekly' };
const DAILY: PeriodCalendar = { frequency: 'daily' };

/** Every calendar an indicator can have: the five frequencies plus fiscal years starting in each month 2–12. */
const CALENDARS: PeriodCalendar[] = [
  ANNUAL,
  ...Array.from({ length: 11 }, (_, i): PeriodCalendar => ({ frequency: 'annual', yearStartMonth: i + 2 })),
  QUARTERLY,
  MONTHLY,
  WEEKLY,
  DAILY,
];

const name = (c: PeriodCalendar) =>
  c.frequency === 'annual' && (c.yearStartMonth ?? 1) !== 1 ? `annual from month ${c.yearStartMonth}` : c.frequency;

const DAY_MS = 86_400_000;
const dayIndex = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY_MS; // years >= 1970 only
const iso = (dayIdx: number) => new Date(dayIdx * DAY_MS).toISOString().slice(0, 10);

t.test('indices of the worked examples (docs/methodology.md §0, api.md Periods)', async (t) => {
  t.equal(periodIndex('2024', ANNUAL), 2024);
  t.equal(periodIndex('2024-25', FISCAL_JUL), 2024, 'a fiscal year is indexed by its starting year');
  t.equal(periodIndex('2024-Q3', QUARTERLY), 4 * 2024 + 3 - 1);
  t.equal(periodIndex('2024-Q3', QUARTERLY), 8098);
  t.equal(periodIndex('2024-07', MONTHLY), 12 * 2024 + 7 - 1);
  t.equal(periodIndex('2024-07', MONTHLY), 24294);
  t.equal(periodIndex('2024-W05', WEEKLY), 2822);
  t.equal(periodIndex('1970-W01', WEEKLY), 0, 'week 0 is the one starting Monday 1969-12-29');
  t.equal(periodIndex('1970-01-01', DAILY), 0);
  t.equal(periodIndex('2024-07-15', DAILY), 19919);
  t.equal(periodIndex('1969-12-31', DAILY), -1);
});

t.test('parsePeriod returns the label and the index', async (t) => {
  t.same(parsePeriod('2024-Q3', QUARTERLY), { ok: true, label: '2024-Q3', index: 8098 });
  t.same(parsePeriod('2024-25', FISCAL_JUL), { ok: true, label: '2024-25', index: 2024 });
});

t.test('round trip label → index → label for every frequency', async (t) => {
  const cases: Array<[PeriodCalendar, string[]]> = [
    [ANNUAL, ['1000', '1970', '1999', '2000', '2024', '9999']],
    [FISCAL_JUL, ['1999-00', '2000-01', '2011-12', '2024-25', '2099-00', '9998-99']],
    [{ frequency: 'annual', yearStartMonth: 4 }, ['2023-24']],
    [{ frequency: 'annual', yearStartMonth: 12 }, ['2023-24']],
    [QUARTERLY, ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '1000-Q1', '9999-Q4']],
    [MONTHLY, ['2024-01', '2024-07', '2024-12', '2011-12', '1000-01', '9999-12']],
    [WEEKLY, ['1970-W01', '2020-W53', '2021-W01', '2024-W01', '2024-W05', '2026-W53', '2015-W53', '2024-W52']],
    [DAILY, ['1970-01-01', '2024-02-29', '2000-02-29', '2024-12-31', '1000-01-01', '9999-12-31', '1969-12-31']],
  ];
  for (const [calendar, labels] of cases) {
    for (const label of labels) {
      const parsed = parsePeriod(label, calendar);
      t.ok(parsed.ok, `${label} is a valid ${name(calendar)} label`);
      t.equal(periodLabel(periodIndex(label, calendar), calendar), label, `${label} round-trips (${name(calendar)})`);
    }
  }
});

t.test('fiscal years (yearStartMonth 7)', async (t) => {
  t.equal(periodLabel(2024, FISCAL_JUL), '2024-25');
  t.equal(periodLabel(1999, FISCAL_JUL), '1999-00', 'the century turns in the two-digit part');
  t.equal(periodLabel(2099, FISCAL_JUL), '2099-00');
  t.equal(periodIndex('1999-00', FISCAL_JUL), 1999);
  t.same(periodDateRange('2024-25', FISCAL_JUL), { start: '2024-07-01', end: '2025-06-30' });
  t.same(periodDateRange('2023-24', { frequency: 'annual', yearStartMonth: 4 }), {
    start: '2023-04-01',
    end: '2024-03-31',
  });
  t.same(periodDateRange('1999-00', { frequency: 'annual', yearStartMonth: 10 }), {
    start: '1999-10-01',
    end: '2000-09-30',
  });
  t.same(periodDateRange('2024-25', { frequency: 'annual', yearStartMonth: 12 }), {
    start: '2024-12-01',
    end: '2025-11-30',
  });
  t.same(periodDateRange('2024-25', { frequency: 'annual', yearStartMonth: 2 }), {
    start: '2024-02-01',
    end: '2025-01-31',
  });
  t.equal(nextPeriod('2024-25', FISCAL_JUL), '2025-26');
  t.equal(nextPeriod('2098-99', FISCAL_JUL), '2099-00');
  t.equal(nextPeriod('2099-00', FISCAL_JUL), '2100-01');
  t.equal(yearsBetween('2019-20', '2024-25', FISCAL_JUL), 5);
});

t.test('ISO weeks, at year boundaries', async (t) => {
  // 2020 starts on a Wednesday and is a leap year: 53 weeks. 2021-W01 starts Monday 2021-01-04.
  t.ok(isPeriodLabel('2020-W53'));
  t.same(periodDateRange('2020-W53', WEEKLY), { start: '2020-12-28', end: '2021-01-03' });
  t.same(periodDateRange('2021-W01', WEEKLY), { start: '2021-01-04', end: '2021-01-10' });
  t.equal(periodIndex('2021-W01', WEEKLY) - periodIndex('2020-W53', WEEKLY), 1);
  t.equal(nextPeriod('2020-W52', WEEKLY), '2020-W53');
  t.equal(nextPeriod('2020-W53', WEEKLY), '2021-W01');
  // 2024 starts on a Monday: week 1 starts on 1 January.
  t.same(periodDateRange('2024-W01', WEEKLY), { start: '2024-01-01', end: '2024-01-07' });
  t.equal(nextPeriod('2023-W52', WEEKLY), '2024-W01', '2023 has 52 weeks');
  t.same(periodDateRange('2024-W05', WEEKLY), { start: '2024-01-29', end: '2024-02-04' });
  // 2026 starts on a Thursday: 53 weeks, the last one ending in 2027.
  t.ok(isPeriodLabel('2026-W53'));
  t.same(periodDateRange('2026-W53', WEEKLY), { start: '2026-12-28', end: '2027-01-03' });
  t.equal(nextPeriod('2026-W53', WEEKLY), '2027-W01');
  t.notOk(isPeriodLabel('2027-W53'), '2027 starts on a Friday: 52 weeks');
  // Week 1 can start in the previous calendar year (2019-W01 starts Monday 2018-12-31).
  t.same(periodDateRange('2019-W01', WEEKLY), { start: '2018-12-31', end: '2019-01-06' });
  t.equal(nextPeriod('2018-W52', WEEKLY), '2019-W01');
  // And the last week can end in the next one (2021-W52 ends Sunday 2022-01-02).
  t.same(periodDateRange('2021-W52', WEEKLY), { start: '2021-12-27', end: '2022-01-02' });
  // Other 53-week years: 2004 (leap, starts Thursday), 2009, 2015 (start Thursday), 1976 (leap, starts Thursday);
  // 52-week years: 2000 (leap, starts Saturday), 2016 (leap, starts Friday), 2100.
  for (const y of [2004, 2009, 2015, 2020, 2026, 2032, 1976]) t.ok(isPeriodLabel(`${y}-W53`), `${y} has 53 weeks`);
  for (const y of [2000, 2016, 2019, 2021, 2023, 2024, 2025, 2100])
    t.notOk(isPeriodLabel(`${y}-W53`), `${y} has 52 weeks`);
});

t.test('leap days', async (t) => {
  t.ok(parsePeriod('2024-02-29', DAILY).ok, '2024 is a leap year');
  t.ok(parsePeriod('2000-02-29', DAILY).ok, '2000 is a leap year (divisible by 400)');
  t.match(parsePeriod('2023-02-29', DAILY), { ok: false, code: 'malformed_period' }, '2023 is not a leap year');
  t.equal(parsePeriod('1900-02-29', DAILY).ok, false, '1900 is not a leap year (divisible by 100)');
  t.equal(parsePeriod('2100-02-29', DAILY).ok, false);
  t.equal(nextPeriod('2024-02-28', DAILY), '2024-02-29');
  t.equal(nextPeriod('2024-02-29', DAILY), '2024-03-01');
  t.equal(nextPeriod('2023-02-28', DAILY), '2023-03-01');
  t.same(periodDateRange('2024-02', MONTHLY), { start: '2024-02-01', end: '2024-02-29' });
  t.same(periodDateRange('2023-02', MONTHLY), { start: '2023-02-01', end: '2023-02-28' });
  t.same(periodDateRange('1900-02', MONTHLY), { start: '1900-02-01', end: '1900-02-28' });
  t.same(periodDateRange('2000-02', MONTHLY), { start: '2000-02-01', end: '2000-02-29' });
  t.equal(periodIndex('2024-03-01', DAILY) - periodIndex('2024-02-28', DAILY), 2);
  t.equal(periodIndex('2023-03-01', DAILY) - periodIndex('2023-02-28', DAILY), 1);
});

t.test('malformed labels are malformed_period whatever the calendar', async (t) => {
  const bad = [
    '2024-Q5',
    '2024-Q0',
    '2023-W54',
    '2023-W53',
    '2024-W00',
    '2024-W1',
    '2024-w05',
    '2024-q3',
    '2024-13',
    '2024-00',
    '2024-1',
    '2024-02-30',
    '2024-04-31',
    '2024-06-31',
    '2024-07-00',
    '2024-07-1',
    '2023-02-29',
    '1900-02-29',
    '24',
    '202',
    '20245',
    '2024/07',
    '2024.07',
    ' 2024',
    '2024 ',
    '2024\n',
    '+2024',
    '-2024',
    '0999',
    '0000',
    '２０２４',
    '2024-26',
    '2024-24',
    '2024-2025',
    '2024-07-15T00:00:00Z',
    '2024-Q3-1',
    'Q3-2024',
    'FY2024',
    '',
  ];
  for (const label of bad) {
    t.notOk(isPeriodLabel(label), `${JSON.stringify(label)} is not a label`);
    t.same(shapesOf(label), [], `${JSON.stringify(label)} has no shape`);
    for (const calendar of CALENDARS) {
      const parsed = parsePeriod(label, calendar);
      if (parsed.ok || parsed.code !== 'malformed_period') {
        t.fail(`${JSON.stringify(label)} for ${name(calendar)} should be malformed_period`, { parsed });
      }
    }
    t.throws(() => periodIndex(label, MONTHLY), RangeError);
  }
  const parsed = parsePeriod('2024-Q5', QUARTERLY);
  t.equal(parsed.ok, false);
  if (!parsed.ok) t.match(parsed.reason, /2024-Q5/, 'the reason quotes the label');
});

t.test('labels of another frequency are period_frequency_mismatch', async (t) => {
  const cases: Array<[string, PeriodCalendar]> = [
    ['2024-07', QUARTERLY],
    ['2024-07', ANNUAL],
    ['2024-07', FISCAL_JUL],
    ['2024', FISCAL_JUL],
    ['2024', MONTHLY],
    ['2024', QUARTERLY],
    ['2024-25', ANNUAL],
    ['2024-25', MONTHLY],
    ['2024-Q3', MONTHLY],
    ['2024-Q3', ANNUAL],
    ['2024-W05', DAILY],
    ['2024-W05', MONTHLY],
    ['2024-07-15', WEEKLY],
    ['2024-07-15', MONTHLY],
    ['2011-12', QUARTERLY],
    ['2011-12', WEEKLY],
    ['2011-12', ANNUAL],
  ];
  for (const [label, calendar] of cases) {
    const parsed = parsePeriod(label, calendar);
    t.equal(parsed.ok ? 'ok' : parsed.code, 'period_frequency_mismatch', `${label} for ${name(calendar)}`);
    t.ok(isPeriodLabel(label), `${label} is still a label of some frequency`);
  }
  const parsed = parsePeriod('2024-07', QUARTERLY);
  if (!parsed.ok) t.match(parsed.reason, /YYYY-Qn/, 'the reason shows the expected form');
  t.throws(() => periodIndex('2024-07', QUARTERLY), RangeError);
});

t.test('2011-12 is both December 2011 and fiscal year 2011-12', async (t) => {
  t.same(shapesOf('2011-12'), ['month', 'fiscal_year']);
  t.same(parsePeriod('2011-12', MONTHLY), { ok: true, label: '2011-12', index: 12 * 2011 + 11 });
  t.same(parsePeriod('2011-12', FISCAL_JUL), { ok: true, label: '2011-12', index: 2011 });
  t.same(shapesOf('2024-25'), ['fiscal_year']);
  t.same(shapesOf('2024-07'), ['month']);
  t.same(shapesOf('2099-00'), ['fiscal_year']);
  t.same(shapesOf('2024-Q3'), ['quarter']);
  t.same(shapesOf('2024-W05'), ['week']);
  t.same(shapesOf('2024-07-15'), ['day']);
  t.same(shapesOf('2024'), ['year']);
});

t.test('expectedShape and describeExpectedLabel', async (t) => {
  t.equal(expectedShape({ frequency: 'annual' }), 'year');
  t.equal(expectedShape({ frequency: 'annual', yearStartMonth: null }), 'year');
  t.equal(expectedShape({ frequency: 'annual', yearStartMonth: 1 }), 'year');
  for (let m = 2; m <= 12; m++) t.equal(expectedShape({ frequency: 'annual', yearStartMonth: m }), 'fiscal_year');
  t.equal(
    expectedShape({ frequency: 'quarterly', yearStartMonth: 7 }),
    'quarter',
    'yearStartMonth only matters for annual',
  );
  t.equal(expectedShape(MONTHLY), 'month');
  t.equal(expectedShape(WEEKLY), 'week');
  t.equal(expectedShape(DAILY), 'day');
  t.match(describeExpectedLabel(FISCAL_JUL), /YYYY-YY/);
  t.match(describeExpectedLabel(WEEKLY), /YYYY-Www/);
});

t.test('periodDateRange for each shape', async (t) => {
  t.same(periodDateRange('2024', ANNUAL), { start: '2024-01-01', end: '2024-12-31' });
  t.same(periodDateRange('2024-25', FISCAL_JUL), { start: '2024-07-01', end: '2025-06-30' });
  t.same(periodDateRange('2024-Q1', QUARTERLY), { start: '2024-01-01', end: '2024-03-31' });
  t.same(periodDateRange('2024-Q2', QUARTERLY), { start: '2024-04-01', end: '2024-06-30' });
  t.same(periodDateRange('2024-Q3', QUARTERLY), { start: '2024-07-01', end: '2024-09-30' });
  t.same(periodDateRange('2024-Q4', QUARTERLY), { start: '2024-10-01', end: '2024-12-31' });
  t.same(periodDateRange('2024-07', MONTHLY), { start: '2024-07-01', end: '2024-07-31' });
  t.same(periodDateRange('2024-12', MONTHLY), { start: '2024-12-01', end: '2024-12-31' });
  t.same(periodDateRange('2024-W05', WEEKLY), { start: '2024-01-29', end: '2024-02-04' });
  t.same(periodDateRange('2024-07-15', DAILY), { start: '2024-07-15', end: '2024-07-15' });
  t.same(periodDateRange('1000-01-01', DAILY), { start: '1000-01-01', end: '1000-01-01' });
  t.same(periodDateRange('9999-12', MONTHLY), { start: '9999-12-01', end: '9999-12-31' });
  t.throws(() => periodDateRange('2024-07', QUARTERLY), RangeError);
});

t.test('nextPeriod across year ends', async (t) => {
  t.equal(nextPeriod('2024', ANNUAL), '2025');
  t.equal(nextPeriod('2024-Q4', QUARTERLY), '2025-Q1');
  t.equal(nextPeriod('2024-Q1', QUARTERLY), '2024-Q2');
  t.equal(nextPeriod('2024-12', MONTHLY), '2025-01');
  t.equal(nextPeriod('2024-09', MONTHLY), '2024-10');
  t.equal(nextPeriod('1999-12', MONTHLY), '2000-01');
  t.equal(nextPeriod('2024-12-31', DAILY), '2025-01-01');
  t.equal(nextPeriod('1969-12-31', DAILY), '1970-01-01');
  t.equal(nextPeriod('2024-W52', WEEKLY), '2025-W01');
  t.throws(() => nextPeriod('2024-13', MONTHLY), RangeError);
});

t.test('periodsPerYear and yearsBetween', async (t) => {
  t.equal(periodsPerYear('annual'), 1);
  t.equal(periodsPerYear('quarterly'), 4);
  t.equal(periodsPerYear('monthly'), 12);
  t.equal(periodsPerYear('weekly'), 365.2425 / 7);
  t.equal(periodsPerYear('daily'), 365.2425);
  t.same([...FREQUENCIES], ['annual', 'quarterly', 'monthly', 'weekly', 'daily']);

  t.equal(yearsBetween('2015-Q1', '2020-Q3', QUARTERLY), 5.5);
  t.equal(yearsBetween('2020', '2024', ANNUAL), 4);
  t.equal(yearsBetween('2024-01', '2023-07', MONTHLY), -0.5, 'backwards is negative');
  t.equal(yearsBetween('2024-07', '2024-07', MONTHLY), 0);
  t.equal(yearsBetween('2024-W01', '2025-W01', WEEKLY), 52 / (365.2425 / 7));
  t.equal(yearsBetween('2024-01-01', '2025-01-01', DAILY), 366 / 365.2425);
  t.throws(() => yearsBetween('2024', '2025-Q1', QUARTERLY), RangeError);
});

/**
 * The index range of years 1000–9999 for a calendar (fiscal years stop at 9998-99: 9999-00 would end in 10000;
 * weeks start at 1000-W02 because 1000-W01 begins on a day of year 999, which has no four-digit label).
 */
function indexRange(calendar: PeriodCalendar): [number, number] {
  switch (expectedShape(calendar)) {
    case 'year':
      return [1000, 9999];
    case 'fiscal_year':
      return [1000, 9998];
    case 'quarter':
      return [4000, 39_999];
    case 'month':
      return [12_000, 119_999];
    case 'week':
      return [periodIndex('1000-W02', WEEKLY), periodIndex('9999-W52', WEEKLY)];
    case 'day':
      return [periodIndex('1000-01-01', DAILY), periodIndex('9999-12-31', DAILY)];
  }
}

t.test(
  'property: periodIndex(periodLabel(i)) = i and labels sort like their indices, for every calendar',
  async (t) => {
    for (const calendar of CALENDARS) {
      const [lo, hi] = indexRange(calendar);
      fc.assert(
        fc.property(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi }), (i, j) => {
          const a = periodLabel(i, calendar);
          const b = periodLabel(j, calendar);
          const parsed = parsePeriod(a, calendar);
          if (!parsed.ok || parsed.index !== i) return false;
          if (periodIndex(b, calendar) !== j) return false;
          // Lexicographic order = index order (so SQL ORDER BY period works).
          return Math.sign(i - j) === Math.sign(a < b ? -1 : a > b ? 1 : 0);
        }),
        { numRuns: 2000 },
      );
      t.pass(`${name(calendar)}: indices ${lo}..${hi}`);
    }
  },
);

t.test('property: consecutive periods tile time — each starts the day after the previous one ends', async (t) => {
  for (const calendar of CALENDARS) {
    const [lo, hi] = indexRange(calendar);
    fc.assert(
      fc.property(fc.integer({ min: lo, max: hi - 1 }), (i) => {
        const a = periodDateRange(periodLabel(i, calendar), calendar);
        const b = periodDateRange(periodLabel(i + 1, calendar), calendar);
        const startA = periodIndex(a.start, DAILY);
        const endA = periodIndex(a.end, DAILY);
        return startA <= endA && periodIndex(b.start, DAILY) === endA + 1;
      }),
      { numRuns: 2000 },
    );
    t.pass(name(calendar));
  }
});

t.test('property: weeks agree with an independent ISO 8601 computation', async (t) => {
  // For any day: its ISO week is the one holding its Thursday; weekly index = floor((day + 3) / 7)
  // because week 0 starts Monday 1969-12-29 = day −3.
  fc.assert(
    fc.property(fc.integer({ min: dayIndex(1970, 1, 1) - 400, max: dayIndex(2200, 12, 31) }), (d) => {
      const weekday = (((d + 3) % 7) + 7) % 7; // Monday 0 … Sunday 6 (1970-01-01 was a Thursday)
      const thursday = d - weekday + 3;
      const isoYear = new Date(thursday * DAY_MS).getUTCFullYear();
      const week = Math.floor((thursday - Date.UTC(isoYear, 0, 1) / DAY_MS) / 7) + 1;
      const label = `${isoYear}-W${String(week).padStart(2, '0')}`;
      const w = Math.floor((d + 3) / 7);
      const range = periodDateRange(label, WEEKLY);
      return (
        periodLabel(w, WEEKLY) === label &&
        periodIndex(label, WEEKLY) === w &&
        range.start <= iso(d) &&
        iso(d) <= range.end
      );
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

t.test('property: days agree with Date.UTC and sit inside their month, quarter and year', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: dayIndex(1970, 1, 1), max: dayIndex(2200, 12, 31) }), (d) => {
      const label = iso(d);
      const [y, m] = [Number(label.slice(0, 4)), Number(label.slice(5, 7))];
      const inside = (period: string, calendar: PeriodCalendar) => {
        const r = periodDateRange(period, calendar);
        return r.start <= label && label <= r.end;
      };
      return (
        periodLabel(d, DAILY) === label &&
        periodIndex(label, DAILY) === d &&
        inside(label.slice(0, 7), MONTHLY) &&
        inside(`${y}-Q${Math.floor((m - 1) / 3) + 1}`, QUARTERLY) &&
        inside(String(y), ANNUAL) &&
        inside(periodLabel(m >= 7 ? y : y - 1, FISCAL_JUL), FISCAL_JUL)
      );
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

t.test('the machine time zone never changes a result', async (t) => {
  const saved = process.env.TZ;
  t.teardown(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  const probe = () => [
    [
      '2026-W53',
      '2020-W53',
      '2023-W53',
      '2024-W01',
      '2018-11-04',
      '2024-03-10',
      '2024-03-31',
      '2024-02-29',
      '2023-02-29',
    ].map((label) => shapesOf(label).join('+')),
    periodIndex('2024-W05', WEEKLY),
    periodIndex('2024-03-31', DAILY),
    periodDateRange('2024-Q4', QUARTERLY),
    periodDateRange('2026-W53', WEEKLY),
    periodLabel(periodIndex('2024-10-27', DAILY), DAILY),
  ];
  process.env.TZ = 'UTC';
  const reference = probe();
  // Far ahead of and behind UTC, half-hour offsets, and zones whose DST switch skips midnight (São Paulo 2018-11-04).
  for (const zone of [
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
    'America/St_Johns',
    'America/Sao_Paulo',
    'Europe/London',
    'Asia/Kolkata',
  ]) {
    process.env.TZ = zone;
    t.same(probe(), reference, zone);
  }
});
