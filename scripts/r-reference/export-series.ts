/**
 * Writes the R reference's inputs: a selection of real series from `vega-datasets` (see scripts/real-series.ts
 * for their sources) as plain CSV files `period,value` in test/fixtures/forecast-series/, with an index.json
 * naming each file, its frequency, season length and source.
 *
 * Run: npx tsx scripts/r-reference/export-series.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRealSeries } from '../real-series.ts';

/** Chosen to cover: monthly seasonal and not, quarterly, annual, every 5 and 10 years, short and long. */
export const REFERENCE_SERIES = [
  'employment/nonfarm',
  'employment/construction',
  'employment/leisure_and_hospitality',
  'unemployment/Construction',
  'unemployment/Finance',
  'co2',
  'seattle/temp_max',
  'stocks/SP500',
  'employment-quarterly/manufacturing',
  'employment-quarterly/government',
  'global-temp',
  'disasters/All natural disasters',
  'iowa/Renewables',
  'population',
  'gapminder/life_expect/China',
  'gapminder/fertility/India',
] as const;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(root, 'test/fixtures/forecast-series');

const all = loadRealSeries();
const index = REFERENCE_SERIES.map((id) => {
  const series = all.find((s) => s.id === id);
  if (!series) throw new Error(`no series ${id}`);
  const file = `${id.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.csv`;
  fs.writeFileSync(
    path.join(outDir, file),
    ['period,value', ...series.points.map((p) => `${p.period},${p.value}`)].join('\n') + '\n',
  );
  const m = series.frequency === 'monthly' ? 12 : series.frequency === 'quarterly' ? 4 : 1;
  // Series observed every k years (gapminder 5, census 10) are regular on their own step.
  const years = series.points.map((p) => Number(p.period.slice(0, 4)));
  let step = 0;
  for (let i = 1; i < years.length; i++) step = gcdOf(step, years[i]! - years[i - 1]!);
  return {
    id,
    file,
    frequency: series.frequency,
    m,
    step: series.frequency === 'annual' ? step : 1,
    source: series.source,
  };
});
fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
console.log(`wrote ${index.length} series to ${path.relative(root, outDir)}`);

function gcdOf(a: number, b: number): number {
  return b === 0 ? a : gcdOf(b, a % b);
}
