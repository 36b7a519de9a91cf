/**
 * Examples of the main operations, shown in the OpenAPI document through `.meta({ examples })` on the
 * contracts. They tell one story, the README's: an unemployment-rate indicator is defined, its history is
 * entered in one batch, it is analysed, and the next year arrives as a CSV file. The figures are illustrative.
 *
 * The answers are not written by hand: they are what this server answered to these requests, ids and
 * timestamps made fixed, in example-answers.json (written by `npm run examples`). test/openapi-examples.test.ts
 * replays the story over HTTP and compares every answer with its example, so an engine or contract change that
 * alters an answer fails there until the file is rewritten and its diff reviewed.
 *
 * Plain data: the contracts import this file.
 */
import answers from './example-answers.json' with { type: 'json' };

/** `POST /results/{resultId}/indicators` */
export const INDICATOR_CREATE_EXAMPLE = {
  name: 'Unemployment rate',
  code: 'UNEMP_RATE',
  unit: 'percent',
  polarity: 'lower_is_better',
  frequency: 'annual',
  definition: 'Unemployed residents as a share of the labour force, annual average',
  unitLabel: '%',
  decimals: 1,
  baselinePeriod: '2019',
  target: { period: '2030', value: 6.5 },
  dimensions: [{ name: 'race_ethnicity', values: ['Black', 'Hispanic', 'White'] }],
  dataSource: 'Local Area Unemployment Statistics (illustrative figures)',
};

/** `PUT /indicators/{indicatorId}/data-points` */
export const DATA_POINTS_UPSERT_EXAMPLE = {
  points: [
    { period: '2016', value: 12.9 },
    { period: '2017', value: 12.4 },
    { period: '2018', value: 11.9 },
    { period: '2019', value: 11.5, status: 'final' },
    { period: '2020', value: 19.1, note: 'COVID-19 closures' },
    { period: '2021', value: 13.2 },
    { period: '2022', value: 9.4 },
    { period: '2019', value: 17.2, disaggregation: { race_ethnicity: 'Black' } },
    { period: '2020', value: 22.4, disaggregation: { race_ethnicity: 'Black' } },
  ],
};

/** `POST /indicators/{indicatorId}/data-points/import` (`Content-Type: text/csv`) */
export const CSV_IMPORT_EXAMPLE =
  'period,race_ethnicity,value,status,note\n2023,,9.1,provisional,\n2023,Black,13.8,provisional,Preliminary estimate\n';

/** The answer to {@link INDICATOR_CREATE_EXAMPLE} (201), also an item of `GET /results/{resultId}/indicators`. */
export const INDICATOR_EXAMPLE = answers.indicator;

/** The answer to {@link DATA_POINTS_UPSERT_EXAMPLE} (200). */
export const UPSERT_SUMMARY_EXAMPLE = answers.upsertSummary;

/** `GET /indicators/{indicatorId}/analysis` after that batch. */
export const INDICATOR_ANALYSIS_EXAMPLE = answers.analysis;

/** The answer to importing {@link CSV_IMPORT_EXAMPLE} next (200). */
export const IMPORT_REPORT_EXAMPLE = answers.importReport;
