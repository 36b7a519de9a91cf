/**
 * Real public time series shipped in the `vega-datasets` package (BSD-3-Clause; each file's original source
 * is named below), read from the installed package — never from the network — as the engine's period labels.
 * Used by the backtest (`npm run backtest`) and to write the R reference inputs (scripts/r-reference/).
 *
 * | id prefix       | file                               | original source                                   |
 * |-----------------|------------------------------------|---------------------------------------------------|
 * | unemployment/   | unemployment-across-industries.json| U.S. Bureau of Labor Statistics, CPS table A-31    |
 * | employment/     | us-employment.csv                  | U.S. Bureau of Labor Statistics, CES (payroll jobs)|
 * | gapminder/      | gapminder.json                     | Gapminder Foundation                              |
 * | global-temp     | global-temp.csv                    | NASA GISS surface temperature anomalies           |
 * | disasters/      | disasters.csv                      | Our World in Data / EM-DAT deaths from disasters  |
 * | iowa/           | iowa-electricity.csv               | U.S. Energy Information Administration            |
 * | co2             | co2-concentration.csv              | NOAA, Mauna Loa CO₂ (Scripps)                     |
 * | population      | population.json                    | U.S. Census (IPUMS), population by decade         |
 * | stocks/         | stocks.csv, sp500.csv              | monthly closing prices (vega-datasets)            |
 * | seattle/        | seattle-weather.csv                | NOAA, Seattle daily weather (monthly means here)  |
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Frequency } from '../server/engine/periods.ts';

export interface RealSeries {
  id: string;
  frequency: Frequency;
  /** Where the numbers come from. */
  source: string;
  points: Array<{ period: string; value: number }>;
}

/** The installed package's data folder (its `exports` map hides subpaths, so walk up from its main file). */
function dataDir(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('vega-datasets'));
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (
      fs.existsSync(pkg) &&
      (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'vega-datasets'
    ) {
      return path.join(dir, 'data');
    }
  }
  throw new Error('cannot locate the installed vega-datasets package');
}
const read = (file: string): string => fs.readFileSync(path.join(dataDir(), file), 'utf8');
const csv = (file: string): string[][] =>
  read(file)
    .trim()
    .split('\n')
    .map((line) => line.split(','));
const month = (year: number, m: number): string => `${year}-${String(m).padStart(2, '0')}`;
const round = (v: number, digits: number): number => Number(v.toFixed(digits));

/** Every series, in a fixed order. */
export function loadRealSeries(): RealSeries[] {
  return [
    ...unemployment(),
    ...employment(),
    ...employmentQuarterly(),
    ...gapminder(),
    globalTemp(),
    ...disasters(),
    ...iowa(),
    co2(),
    population(),
    ...stocks(),
    seattle(),
  ];
}

function unemployment(): RealSeries[] {
  const rows = JSON.parse(read('unemployment-across-industries.json')) as Array<{
    series: string;
    year: number;
    month: number;
    rate: number;
  }>;
  const bySeries = new Map<string, RealSeries>();
  for (const r of rows) {
    let s = bySeries.get(r.series);
    if (!s) {
      s = {
        id: `unemployment/${r.series}`,
        frequency: 'monthly',
        source: 'BLS CPS table A-31 (unemployment rate by industry, %), via vega-datasets',
        points: [],
      };
      bySeries.set(r.series, s);
    }
    s.points.push({ period: month(r.year, r.month), value: r.rate });
  }
  return [...bySeries.values()];
}

function employment(): RealSeries[] {
  const [header, ...rows] = csv('us-employment.csv');
  const columns = header!.slice(1).filter((c) => c !== 'nonfarm_change');
  return columns.map((column) => {
    const j = header!.indexOf(column);
    return {
      id: `employment/${column}`,
      frequency: 'monthly',
      source: 'BLS CES payroll employment (thousands, seasonally adjusted), via vega-datasets',
      points: rows.map((r) => ({ period: r[0]!.slice(0, 7), value: Number(r[j]) })),
    };
  });
}

/** Quarterly means of a few payroll series (not seasonally adjusted in origin: they are adjusted, but quarterly). */
function employmentQuarterly(): RealSeries[] {
  return ['manufacturing', 'construction', 'government'].map((column) => {
    const monthly = employment().find((s) => s.id === `employment/${column}`)!;
    const points: RealSeries['points'] = [];
    for (let i = 0; i + 2 < monthly.points.length; i += 3) {
      const [year, m] = monthly.points[i]!.period.split('-').map(Number);
      const mean = (monthly.points[i]!.value + monthly.points[i + 1]!.value + monthly.points[i + 2]!.value) / 3;
      points.push({ period: `${year}-Q${Math.floor((m! - 1) / 3) + 1}`, value: round(mean, 1) });
    }
    return {
      id: `employment-quarterly/${column}`,
      frequency: 'quarterly',
      source: 'BLS CES payroll employment, quarterly mean of the monthly figures, via vega-datasets',
      points,
    };
  });
}

function gapminder(): RealSeries[] {
  const rows = JSON.parse(read('gapminder.json')) as Array<{
    year: number;
    country: string;
    life_expect: number;
    fertility: number;
  }>;
  const out = new Map<string, RealSeries>();
  for (const r of rows) {
    for (const measure of ['life_expect', 'fertility'] as const) {
      const id = `gapminder/${measure}/${r.country}`;
      let s = out.get(id);
      if (!s) {
        s = { id, frequency: 'annual', source: `Gapminder ${measure} (every 5 years), via vega-datasets`, points: [] };
        out.set(id, s);
      }
      s.points.push({ period: String(r.year), value: r[measure] });
    }
  }
  return [...out.values()].map((s) => ({ ...s, points: s.points.sort((a, b) => a.period.localeCompare(b.period)) }));
}

function globalTemp(): RealSeries {
  const [, ...rows] = csv('global-temp.csv');
  return {
    id: 'global-temp',
    frequency: 'annual',
    source: 'NASA GISS global surface temperature anomaly (°C), via vega-datasets',
    points: rows.map((r) => ({ period: r[0]!, value: Number(r[1]) })),
  };
}

function disasters(): RealSeries[] {
  const [, ...rows] = csv('disasters.csv');
  const out = new Map<string, RealSeries>();
  for (const [entity, year, deaths] of rows) {
    let s = out.get(entity!);
    if (!s) {
      s = {
        id: `disasters/${entity}`,
        frequency: 'annual',
        source: 'EM-DAT deaths from natural disasters, via Our World in Data and vega-datasets',
        points: [],
      };
      out.set(entity!, s);
    }
    s.points.push({ period: year!, value: Number(deaths) });
  }
  // Series with years missing in between are kept: the engine bridges gaps; very sparse ones are dropped.
  return [...out.values()].filter((s) => s.points.length >= 30);
}

function iowa(): RealSeries[] {
  const [, ...rows] = csv('iowa-electricity.csv');
  const out = new Map<string, RealSeries>();
  for (const [date, source, value] of rows) {
    let s = out.get(source!);
    if (!s) {
      s = {
        id: `iowa/${source}`,
        frequency: 'annual',
        source: 'EIA net electricity generation in Iowa (GWh), via vega-datasets',
        points: [],
      };
      out.set(source!, s);
    }
    s.points.push({ period: date!.slice(0, 4), value: Number(value) });
  }
  return [...out.values()];
}

function co2(): RealSeries {
  const [, ...rows] = csv('co2-concentration.csv');
  return {
    id: 'co2',
    frequency: 'monthly',
    source: 'NOAA/Scripps Mauna Loa CO₂ (ppm, monthly), via vega-datasets',
    points: rows.map((r) => ({ period: r[0]!.slice(0, 7), value: Number(r[1]) })),
  };
}

function population(): RealSeries {
  const rows = JSON.parse(read('population.json')) as Array<{ year: number; people: number }>;
  const totals = new Map<number, number>();
  for (const r of rows) totals.set(r.year, (totals.get(r.year) ?? 0) + r.people);
  return {
    id: 'population',
    frequency: 'annual',
    source: 'U.S. census population (IPUMS), every 10 years (1890 missing), via vega-datasets',
    points: [...totals].sort((a, b) => a[0] - b[0]).map(([year, people]) => ({ period: String(year), value: people })),
  };
}

const MONTHS: Record<string, number> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

function stocks(): RealSeries[] {
  const [, ...rows] = csv('stocks.csv');
  const out = new Map<string, RealSeries>();
  const label = (date: string): string => {
    const [mon, , year] = date.split(' ');
    return month(Number(year), MONTHS[mon!]!);
  };
  for (const [symbol, date, price] of rows) {
    let s = out.get(symbol!);
    if (!s) {
      s = {
        id: `stocks/${symbol}`,
        frequency: 'monthly',
        source: 'monthly stock prices, via vega-datasets',
        points: [],
      };
      out.set(symbol!, s);
    }
    s.points.push({ period: label(date!), value: Number(price) });
  }
  const [, ...sp] = csv('sp500.csv');
  out.set('SP500', {
    id: 'stocks/SP500',
    frequency: 'monthly',
    source: 'S&P 500 index, monthly, via vega-datasets',
    points: sp.map(([date, price]) => ({ period: label(date!), value: Number(price) })),
  });
  return [...out.values()];
}

function seattle(): RealSeries {
  const [, ...rows] = csv('seattle-weather.csv');
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of rows) {
    const key = r[0]!.slice(0, 7);
    const acc = sums.get(key) ?? { sum: 0, n: 0 };
    acc.sum += Number(r[2]);
    acc.n++;
    sums.set(key, acc);
  }
  return {
    id: 'seattle/temp_max',
    frequency: 'monthly',
    source: 'NOAA Seattle daily maximum temperature (°C), monthly mean, via vega-datasets',
    points: [...sums].map(([period, { sum, n }]) => ({ period, value: round(sum / n, 2) })),
  };
}
