/**
 * The Kysely view of the database. Columns are snake_case in SQL and camelCase here (Kysely's
 * CamelCasePlugin translates). Every table carries `initiative_id`, the future distribution key
 * (Citus): children reference parents by (initiative_id, id), so a row can never point into another
 * initiative.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** jsonb in and out: written as a JSON string, read back parsed. */
export type Json<T> = ColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface InitiativesTable {
  id: string;
  initiativeId: Generated<string>;
  slug: string;
  name: string;
  description: string | null;
  geography: string | null;
  formality: string | null;
  stage: string | null;
  workLevel: string | null;
  brand: Json<{ color?: string | null; logoUrl?: string | null } | null> | null;
  embedOrigins: Json<string[]>;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface PartnersTable {
  id: string;
  initiativeId: string;
  name: string;
  sector: string;
  role: string | null;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ResultsTable {
  id: string;
  initiativeId: string;
  statement: string;
  population: string | null;
  geography: string | null;
  timeFrameStart: number | null;
  timeFrameEnd: number | null;
  visibility: string;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface OutcomesTable {
  id: string;
  initiativeId: string;
  resultId: string;
  parentOutcomeId: string | null;
  title: string;
  description: string | null;
  position: number;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface PeriodValueJson {
  period: string;
  value: number;
}

export interface IndicatorsTable {
  id: string;
  initiativeId: string;
  resultId: string;
  outcomeId: string | null;
  name: string;
  code: string | null;
  unit: string;
  polarity: string;
  frequency: string;
  definition: string | null;
  unitLabel: string | null;
  decimals: number | null;
  yearStartMonth: number;
  baselinePeriod: string | null;
  target: Json<PeriodValueJson | null> | null;
  interimTargets: Json<PeriodValueJson[]>;
  naturalLimit: number | null;
  bounds: Json<{ min: number | null; max: number | null } | null> | null;
  forecastOverride: Json<PeriodValueJson[]>;
  dimensions: Json<Array<{ name: string; values: string[] }>>;
  referenceGroup: Json<Record<string, string> | null> | null;
  dataSource: string | null;
  ownerPartnerId: string | null;
  level: string;
  /** null = inherit the result's visibility. */
  visibility: string | null;
  position: number;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/**
 * One version of a data point. The current version has `validTo = null`; earlier versions keep the history
 * (who changed what, when, how) and answer "as of" reads.
 */
export interface DataPointsTable {
  id: string;
  version: number;
  initiativeId: string;
  indicatorId: string;
  period: string;
  /** x(p) of engine.md §0, for ordering and range filters. */
  periodIndex: number;
  disaggregation: Json<Record<string, string>>;
  /** Canonical JSON of `disaggregation` (keys sorted); `{}` for the total. Part of the unique key. */
  disaggregationKey: string;
  value: number;
  note: string | null;
  status: string | null;
  source: string | null;
  validFrom: Timestamp;
  validTo: Date | null;
  /** Who wrote this version (a token's name, or `anonymous`), and how (`api`, `import:<id>`). */
  recordedBy: string;
  recordedHow: string;
  /** Who closed this version by deleting the point (null when closed by a newer version or still current). */
  closedBy: string | null;
  closedHow: string | null;
}

export interface ApiTokensTable {
  id: string;
  initiativeId: string | null;
  partnerId: string | null;
  name: string;
  role: string;
  secretHash: string;
  createdBy: string;
  createdAt: Timestamp;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface Database {
  apiTokens: ApiTokensTable;
  initiatives: InitiativesTable;
  partners: PartnersTable;
  results: ResultsTable;
  outcomes: OutcomesTable;
  indicators: IndicatorsTable;
  dataPoints: DataPointsTable;
}

export type InitiativeRow = Selectable<InitiativesTable>;
export type PartnerRow = Selectable<PartnersTable>;
export type ResultRow = Selectable<ResultsTable>;
export type OutcomeRow = Selectable<OutcomesTable>;
export type IndicatorRow = Selectable<IndicatorsTable>;
export type DataPointRow = Selectable<DataPointsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type NewIndicatorRow = Insertable<IndicatorsTable>;
export type IndicatorUpdate = Updateable<IndicatorsTable>;
