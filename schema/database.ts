/**
 * The Kysely view of the database. Columns are snake_case in SQL and camelCase here (Kysely's
 * CamelCasePlugin translates). The tables of an initiative's data carry `initiative_id`, the would-be
 * distribution key (Citus), and most children reference parents by (initiative_id, id), so a row cannot point
 * into another initiative; the service-wide ones (people, sessions, sign-in failures) do not, and a few keys
 * still leave it out — docs/deployment.md, "Distributing by `initiative_id` (Citus): readiness", lists them.
 *
 * Enumerated columns are typed with the vocabulary (server/engine/vocabulary.ts for the engine's values,
 * schema/vocabulary.ts for the rest), so a row read here is already an API value and a typo in a write is
 * a compile error.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Frequency, IndicatorLevel, Polarity, Unit } from '../server/engine/vocabulary.ts';
import type {
  ActionStatus,
  ActionUpdateKind,
  CompareOperator,
  DataPointStatus,
  ForceDirection,
  Formality,
  IdeaCost,
  ImportFormat,
  ImportStatus,
  ImportTargetKind,
  LagUnit,
  MemberRole,
  ObsStatus,
  PublicationState,
  QualityWarningMode,
  Quadrant,
  Role,
  RuleSeverity,
  Sector,
  Stage,
  Visibility,
  WorkLevel,
} from './vocabulary.ts';

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
  formality: Formality | null;
  stage: Stage | null;
  workLevel: WorkLevel | null;
  brand: Json<{ color?: string | null; logoUrl?: string | null } | null> | null;
  embedOrigins: Json<string[]>;
  /** What a data-quality warning does to a write (docs/data-quality.md). */
  quality: ColumnType<QualitySettingsJson, string | undefined, string>;
  /** Whether the public sees only published periods, and whether approval needs a second person (docs/publication.md). */
  publication: ColumnType<PublicationSettingsJson, string | undefined, string>;
  /** Small-cell suppression of counts in public outputs (docs/publication.md). */
  suppression: ColumnType<SuppressionSettingsJson, string | undefined, string>;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface PartnersTable {
  id: string;
  initiativeId: string;
  name: string;
  sector: Sector;
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
  visibility: Visibility;
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

export interface ForecastOptionJson {
  method: 'auto' | 'ets' | 'linear' | 'manual';
  model?: 'ANN' | 'AAN' | 'AAdN' | 'ANA' | 'AAA' | 'AAdA';
  window?: number | null;
}

export interface IndicatorsTable {
  id: string;
  initiativeId: string;
  resultId: string;
  outcomeId: string | null;
  name: string;
  code: string | null;
  unit: Unit;
  polarity: Polarity;
  frequency: Frequency;
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
  /** The baseline forecast method: `{ method: 'auto' | 'ets' | 'linear' | 'manual', model?, window? }`. */
  forecast: Json<ForecastOptionJson>;
  dimensions: Json<Array<{ name: string; values: string[] }>>;
  referenceGroup: Json<Record<string, string> | null> | null;
  dataSource: string | null;
  ownerPartnerId: string | null;
  level: IndicatorLevel;
  /** Performance measures only: `how_much` | `how_well` | `better_off` (RBA performance accountability). */
  quadrant: Quadrant | null;
  /** Performance measures only: the partner's program the measure reports on. */
  programName: string | null;
  /** How long after a period ends its data are due; null = no expectation (see server/domain/freshness.ts). */
  reportingLag: Json<ReportingLagJson | null> | null;
  /** Validation rules (docs/data-quality.md); every change is kept in `indicator_rule_versions` by a trigger. */
  rules: ColumnType<QualityRuleJson[], string | undefined, string>;
  /** Overrides the initiative's small-cell suppression; null inherits it. */
  suppression: ColumnType<SuppressionSettingsJson | null, string | null | undefined, string | null>;
  /** null = inherit the result's visibility. */
  visibility: Visibility | null;
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
  /** x(p) of docs/methodology.md §0, for ordering and range filters. */
  periodIndex: number;
  disaggregation: Json<Record<string, string>>;
  /** Canonical JSON of `disaggregation` (keys sorted); `{}` for the total. Part of the unique key. */
  disaggregationKey: string;
  /** null only for a point marked M (missing). */
  value: number | null;
  note: string | null;
  status: DataPointStatus | null;
  source: string | null;
  /** SDMX OBS_STATUS as given (null = none given: A, or P when `status` is provisional). */
  obsStatus: ObsStatus | null;
  footnote: string | null;
  /** The warnings found when this version was written, each acknowledged or not. */
  flags: ColumnType<FlagJson[], string | undefined, string>;
  validFrom: Timestamp;
  validTo: Date | null;
  /** Who wrote this version (a token's name, or `anonymous`), and how (`api`, `import:<id>`). */
  recordedBy: string;
  recordedHow: string;
  /** Who closed this version by deleting the point (null when closed by a newer version or still current). */
  closedBy: string | null;
  closedHow: string | null;
}

export interface PublicationSettingsJson {
  required: boolean;
  fourEyes: boolean;
}

export interface SuppressionSettingsJson {
  /** Counts below this (and above 0) are suppressed in public outputs, with their complements; null = off. */
  minCellSize: number | null;
}

/**
 * One version of a period's publication state. The current version has `validTo = null`; the earlier ones are
 * the transitions (who, when, why, which action). `publishedAt`: the moment of the publication the public sees.
 */
export interface PeriodPublicationsTable {
  indicatorId: string;
  initiativeId: string;
  period: string;
  periodIndex: number;
  version: number;
  state: PublicationState;
  submittedBy: string | null;
  /** Who submitted, as the four-eyes rule compares them (a person's or a token's id). */
  submittedByKey: string | null;
  approvedBy: string | null;
  approvedByKey: string | null;
  publishedAt: Date | null;
  reason: string | null;
  /** The action that made this version (`submit` … `reopen`, or `edit`: a submitted period's values changed). */
  action: string;
  actor: string;
  validFrom: Timestamp;
  validTo: Date | null;
}

export interface QualitySettingsJson {
  warnings: QualityWarningMode;
}

/** A rule as stored: the contract's `QualityRule` (schema/contracts/data-quality.ts). */
export type QualityRuleJson =
  | {
      code: string;
      kind: 'range';
      severity: RuleSeverity;
      description?: string | null;
      min?: number | null;
      max?: number | null;
    }
  | {
      code: string;
      kind: 'change';
      severity: RuleSeverity;
      description?: string | null;
      maxAbs?: number | null;
      maxRelative?: number | null;
    }
  | {
      code: string;
      kind: 'sum';
      severity: RuleSeverity;
      description?: string | null;
      dimension: string;
      tolerance: number;
    }
  | {
      code: string;
      kind: 'compare';
      severity: RuleSeverity;
      description?: string | null;
      operator: CompareOperator;
      otherIndicatorId: string;
      missing?: 'skip' | 'fail';
    };

/** A data-quality flag stored with a data-point version. */
export interface FlagJson {
  code: string;
  severity: RuleSeverity;
  message: string;
  acknowledged: boolean;
  comment: string | null;
  acknowledgedBy?: string | null;
}

/** One set of an indicator's rules, kept when the rules change (the current one has no `validTo`). */
export interface IndicatorRuleVersionsTable {
  indicatorId: string;
  initiativeId: string;
  version: number;
  rules: ColumnType<QualityRuleJson[], string, string>;
  validFrom: Timestamp;
  validTo: Date | null;
}

export interface ReportingLagJson {
  amount: number;
  unit: LagUnit;
}

/**
 * One version of an indicator's turn-the-curve report (one report per indicator). The current version has
 * `validTo = null`; earlier ones are the revision history, as for data points.
 */
export interface CurveReportsTable {
  indicatorId: string;
  version: number;
  initiativeId: string;
  story: string | null;
  forces: Json<Array<{ description: string; direction: ForceDirection }>>;
  partners: Json<Array<{ partnerId: string | null; name: string; role: string }>>;
  whatWorks: Json<Array<{ idea: string; evidence: string | null; cost: IdeaCost | null }>>;
  actionPlan: string | null;
  validFrom: Timestamp;
  validTo: Date | null;
  recordedBy: string;
  recordedHow: string;
  closedBy: string | null;
  closedHow: string | null;
}

/** A commitment of the partnership: who does what, by when. Dates are `YYYY-MM-DD` strings. */
export interface ActionsTable {
  id: string;
  initiativeId: string;
  title: string;
  description: string | null;
  ownerPartnerId: string | null;
  startDate: string;
  dueDate: string;
  status: ActionStatus;
  completedOn: string | null;
  visibility: Visibility;
  version: Generated<number>;
  createdBy: string;
  updatedBy: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ActionIndicatorsTable {
  initiativeId: string;
  actionId: string;
  indicatorId: string;
}

/** The append-only record of an action: its creation, every edit (field → from/to) and progress notes. */
export interface ActionUpdatesTable {
  id: string;
  initiativeId: string;
  actionId: string;
  kind: ActionUpdateKind;
  note: string | null;
  changes: Json<Record<string, { from: unknown; to: unknown }>>;
  recordedBy: string;
  recordedAt: Timestamp;
}

/**
 * One CSV import (dry runs included): `recorded_how = 'import:<id>'` on data points names it. Counts are
 * rows of the file; `errors` keeps the first 1,000 row errors, `errorCount` all of them.
 */
export interface ImportsTable {
  id: string;
  initiativeId: string;
  targetKind: ImportTargetKind;
  targetId: string;
  createdBy: string;
  createdAt: Timestamp;
  finishedAt: Timestamp;
  dryRun: boolean;
  format: ImportFormat | null;
  status: ImportStatus;
  rowsRead: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  skipped: Generated<number>;
  errorCount: Generated<number>;
  errors: Json<Array<{ row: number; column: string | null; code: string; message: string }>>;
  message: string | null;
}

export interface ApiTokensTable {
  id: string;
  initiativeId: string | null;
  partnerId: string | null;
  name: string;
  role: Role;
  secretHash: string;
  createdBy: string;
  createdAt: Timestamp;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  /** The person who made it in the workspace (personal tokens); null for tokens made through the API. */
  personId: Generated<string | null>;
}

/** People who sign in to the workspace (2026120302-people); their roles are memberships (2026120601-memberships). */
export interface PeopleTable {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  /** A service administrator: may do everything, with no membership. */
  admin: Generated<boolean>;
  createdAt: Timestamp;
}

/** A person's role in one initiative, with a token role's meaning; contributors speak for one partner. */
export interface MembershipsTable {
  personId: string;
  initiativeId: string;
  role: MemberRole;
  partnerId: string | null;
  createdAt: Timestamp;
}

export interface InvitationsTable {
  id: string;
  secretHash: string;
  email: string;
  role: Role;
  initiativeId: string | null;
  partnerId: string | null;
  createdBy: string;
  createdAt: Timestamp;
  expiresAt: Date;
  acceptedAt: Date | null;
}

export interface SessionsTable {
  idHash: string;
  personId: string;
  createdAt: Timestamp;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface SignInFailuresTable {
  id: Generated<string>;
  email: string;
  address: string;
  at: Timestamp;
}

/**
 * A stored baseline fit of one indicator slice (server/services/stored-fits.ts): reused while `fitKey`
 * (a hash of the fit's inputs) matches. `model` is the engine's BaselineModelResult as JSON.
 */
export interface BaselineFitsTable {
  initiativeId: string;
  indicatorId: string;
  sliceKey: string;
  fitKey: string;
  model: Json<unknown>;
  fittedAt: Generated<Date>;
}

export interface Database {
  people: PeopleTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  signInFailures: SignInFailuresTable;
  apiTokens: ApiTokensTable;
  initiatives: InitiativesTable;
  partners: PartnersTable;
  results: ResultsTable;
  outcomes: OutcomesTable;
  indicators: IndicatorsTable;
  dataPoints: DataPointsTable;
  periodPublications: PeriodPublicationsTable;
  indicatorRuleVersions: IndicatorRuleVersionsTable;
  imports: ImportsTable;
  curveReports: CurveReportsTable;
  actions: ActionsTable;
  actionIndicators: ActionIndicatorsTable;
  actionUpdates: ActionUpdatesTable;
  baselineFits: BaselineFitsTable;
}

export type InitiativeRow = Selectable<InitiativesTable>;
export type PartnerRow = Selectable<PartnersTable>;
export type ResultRow = Selectable<ResultsTable>;
export type OutcomeRow = Selectable<OutcomesTable>;
export type IndicatorRow = Selectable<IndicatorsTable>;
export type DataPointRow = Selectable<DataPointsTable>;
export type PeriodPublicationRow = Selectable<PeriodPublicationsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type PersonRow = Selectable<PeopleTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type ImportRow = Selectable<ImportsTable>;
export type CurveReportRow = Selectable<CurveReportsTable>;
export type ActionRow = Selectable<ActionsTable>;
export type ActionUpdateRow = Selectable<ActionUpdatesTable>;
export type NewIndicatorRow = Insertable<IndicatorsTable>;
export type IndicatorUpdate = Updateable<IndicatorsTable>;
