/**
 * The service's vocabulary beyond the engine: the enumerated values of partnerships, access, accountability
 * and imports, as `as const` arrays with the types derived from them. The engine's own values (units,
 * polarity, frequencies, levels, statuses) live in `server/engine/vocabulary.ts`.
 *
 * Why here, next to `database.ts` and `contracts/`: both describe the same columns, one to Kysely and one to
 * HTTP clients, and both take the values from this file (`z.enum(SECTORS)` in a contract, `sector: Sector`
 * in a table). It imports nothing, so the pure domain rules, the seeds and the auth policy can use the types
 * without depending on zod or on the HTTP layer. Where a migration checks a column (`check (role in (…))`),
 * test/schema/vocabulary.test.ts compares the database's list with the one here.
 */

/** Who sees an object: anyone, or only the partnership (tokens of its initiative). */
export const VISIBILITIES = ['public', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

// Partnerships ------------------------------------------------------------------------------------------

/** The sector a partner organisation belongs to. */
export const SECTORS = ['public', 'private', 'nonprofit', 'philanthropy', 'community', 'academic', 'other'] as const;
export type Sector = (typeof SECTORS)[number];

/** How a partnership describes itself (the self-assessment reads these). */
export const FORMALITIES = ['formal', 'informal'] as const;
export type Formality = (typeof FORMALITIES)[number];

/** Tuckman's stages of a group. */
export const STAGES = ['forming', 'storming', 'norming', 'performing'] as const;
export type Stage = (typeof STAGES)[number];

/** Whether the partnership works on programs, on systems, or both. */
export const WORK_LEVELS = ['programs', 'systems', 'both'] as const;
export type WorkLevel = (typeof WORK_LEVELS)[number];

/** RBA performance accountability: how much did we do, how well did we do it, is anyone better off. */
export const QUADRANTS = ['how_much', 'how_well', 'better_off'] as const;
export type Quadrant = (typeof QUADRANTS)[number];

// Access ------------------------------------------------------------------------------------------------

/** The roles of API tokens (the README's access table; server/auth/policy.ts decides with them). */
export const ROLES = ['admin', 'editor', 'contributor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
/** The roles held in one initiative (a membership, or a token's scope); `admin` spans the whole service. */
export const MEMBER_ROLES = ['editor', 'contributor', 'viewer'] as const satisfies readonly Role[];
export type MemberRole = (typeof MEMBER_ROLES)[number];

// Data --------------------------------------------------------------------------------------------------

/** The status a data provider gives a value. */
export const DATA_POINT_STATUSES = ['provisional', 'final'] as const;
export type DataPointStatus = (typeof DATA_POINT_STATUSES)[number];

/**
 * SDMX's OBS_STATUS code list, the part a data workgroup uses: A normal, P provisional, E estimated, B break in
 * series (the baseline history starts again at this point), M missing (no value). F (forecast) is refused as data.
 */
export const OBS_STATUSES = ['A', 'P', 'E', 'B', 'M'] as const;
export type ObsStatus = (typeof OBS_STATUSES)[number];

/**
 * Where a period's values stand on their way to the public (docs/publication.md): entered (`draft`), sent for
 * review (`submitted`), checked (`approved`, values locked), public (`published`), withdrawn (`retracted`).
 */
export const PUBLICATION_STATES = ['draft', 'submitted', 'approved', 'published', 'retracted'] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];

/** What moves a period between publication states; `edit` is recorded when a submitted period's values change. */
export const PUBLICATION_ACTIONS = ['submit', 'approve', 'publish', 'send_back', 'retract', 'reopen'] as const;
export type PublicationAction = (typeof PUBLICATION_ACTIONS)[number];

/** SDMX CONF_STATUS of a value in public outputs: F free, C confidential (suppressed: a small cell or its complement). */
export const CONF_STATUSES = ['F', 'C'] as const;
export type ConfStatus = (typeof CONF_STATUSES)[number];

/** The kinds of an indicator's validation rules (docs/data-quality.md). */
export const RULE_KINDS = ['range', 'change', 'sum', 'compare'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** A broken `error` rule refuses the write; a `warning` is recorded as a flag (or blocks: QUALITY_WARNING_MODES). */
export const RULE_SEVERITIES = ['error', 'warning'] as const;
export type RuleSeverity = (typeof RULE_SEVERITIES)[number];

/** The operators of a `compare` rule: this indicator's value (left) against the other's (right). */
export const COMPARE_OPERATORS = ['<', '<=', '=', '>=', '>'] as const;
export type CompareOperator = (typeof COMPARE_OPERATORS)[number];

/** What a warning does to a write, per initiative: saved with an unacknowledged flag, or refused until acknowledged. */
export const QUALITY_WARNING_MODES = ['record', 'block'] as const;
export type QualityWarningMode = (typeof QUALITY_WARNING_MODES)[number];

/** The checks that run on every new or changed value whatever the indicator's rules (always warnings). */
export const BUILT_IN_FLAG_CODES = ['out_of_bounds', 'outlier_history', 'outside_forecast'] as const;
export type BuiltInFlagCode = (typeof BUILT_IN_FLAG_CODES)[number];

/** What a revision in a history did to the object. */
export const REVISION_ACTIONS = ['insert', 'update', 'delete'] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

/** The unit of an indicator's reporting lag (`{ amount: 6, unit: 'months' }`). */
export const LAG_UNITS = ['days', 'weeks', 'months'] as const;
export type LagUnit = (typeof LAG_UNITS)[number];

/** Are an indicator's data in on time? (server/domain/freshness.ts) */
export const FRESHNESS_STATUSES = ['fresh', 'overdue', 'no_data', 'no_expectation'] as const;
export type FreshnessStatus = (typeof FRESHNESS_STATUSES)[number];

// CSV imports -------------------------------------------------------------------------------------------

/** The two CSV layouts: one row per value with named columns, or the Open SDG `Year`/`Value` layout. */
export const IMPORT_FORMATS = ['tidy', 'open_sdg'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What a CSV import writes into: one indicator, or several indicators of a result. */
export const IMPORT_TARGET_KINDS = ['indicator', 'result'] as const;
export type ImportTargetKind = (typeof IMPORT_TARGET_KINDS)[number];

/** How an import ended: written (or would be, on a dry run), refused for bad rows, or failed. */
export const IMPORT_STATUSES = ['succeeded', 'rejected', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

// Accountability ----------------------------------------------------------------------------------------

/** An action's status; `quickWin`, `overdue` and `timing` are derived from it and the dates. */
export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** An action judged at a moment: done on time or late, overdue, open (not yet due), or dropped. */
export const ACTION_TIMINGS = ['on_time', 'late', 'overdue', 'open', 'dropped'] as const;
export type ActionTiming = (typeof ACTION_TIMINGS)[number];

/** An entry of an action's record: its creation, an edit, or a progress note. */
export const ACTION_UPDATE_KINDS = ['created', 'edited', 'progress'] as const;
export type ActionUpdateKind = (typeof ACTION_UPDATE_KINDS)[number];

/** A force at work on the curve (turn-the-curve report). */
export const FORCE_DIRECTIONS = ['helping', 'hindering'] as const;
export type ForceDirection = (typeof FORCE_DIRECTIONS)[number];

/** The cost of an idea of what works (RBA asks for no-cost and low-cost ideas too). */
export const IDEA_COSTS = ['no_cost', 'low_cost', 'higher_cost'] as const;
export type IdeaCost = (typeof IDEA_COSTS)[number];

/** How strongly the self-assessment puts a piece of feedback. */
export const FEEDBACK_LEVELS = ['concern', 'suggestion', 'strength'] as const;
export type FeedbackLevel = (typeof FEEDBACK_LEVELS)[number];

/** What a piece of self-assessment feedback is about. */
export const FEEDBACK_TOPICS = [
  'profile',
  'shared_result',
  'work_level',
  'stage',
  'owners',
  'targets',
  'data_freshness',
  'actions',
  'quick_wins',
  'performance',
  'curve_reports',
] as const;
export type FeedbackTopic = (typeof FEEDBACK_TOPICS)[number];

/** Whether a finding of the research holds among the partnerships of the field summary. */
export const FINDING_PATTERNS = ['holds', 'does_not_hold', 'not_enough_data'] as const;
export type FindingPattern = (typeof FINDING_PATTERNS)[number];
