/**
 * The one way data points are written in bulk: stage the incoming points in a temporary table, plan the
 * merge against the current versions in SQL, then close the versions that change and insert their next
 * versions (and version 1 of new points). Used by `PUT …/data-points` and by CSV imports, so both follow
 * the same rules:
 *
 * - a point is identified by (indicator, disaggregation, period);
 * - omitted note/status/source keep the stored value (`given = false`), null clears it;
 * - a point whose value, note, status and source would not change is not written at all (no new version);
 * - every new version records who wrote it and how (`api`, `import:<id>`).
 *
 * Callers hold the indicators' row locks (see `lockIndicators`), so writers of one indicator go one at a
 * time and concurrent batches never lose an update; taking the locks in id order keeps them deadlock-free.
 */
import { CompiledQuery, sql, type Transaction } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../schema/database.ts';
import type { PublicationState } from '../../schema/vocabulary.ts';
import { LOCKED_STATES } from '../domain/publication-rules.ts';
import type { StagedPoint } from '../domain/staged-point.ts';
import { ConflictError } from '../errors.ts';
import { versionTimestamp } from './versions.ts';

/** Rows per staging INSERT (each column travels as one array parameter). */
const STAGE_CHUNK = 10_000;

export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** The indicator a staging table's rows belong to unless they say otherwise (an indicator-level import). */
export interface StageDefaults {
  initiativeId: string;
  indicatorId: string;
}

/**
 * Creates the (transaction-scoped) staging table; call once per transaction before `stagePoints`. Optional
 * fields default to "not given", and `disaggregation` (the jsonb) may be left out: the merge reads it from the
 * canonical key. With `defaults`, a row may leave out its indicator too — COPY then sends only what varies.
 */
export async function createStage(trx: Transaction<Database>, defaults?: StageDefaults): Promise<void> {
  const initiative = defaults ? sql`default ${sql.lit(defaults.initiativeId)}` : sql``;
  const indicator = defaults ? sql`default ${sql.lit(defaults.indicatorId)}` : sql``;
  await sql`
    create temp table point_stage (
      ordinal integer not null,
      id uuid not null,
      initiative_id uuid not null ${initiative},
      indicator_id uuid not null ${indicator},
      period text not null,
      period_index integer not null,
      disaggregation jsonb,
      disaggregation_key text not null,
      value double precision,
      note text, note_given boolean not null default false,
      status text, status_given boolean not null default false,
      source text, source_given boolean not null default false,
      obs_status text, obs_status_given boolean not null default false,
      footnote text, footnote_given boolean not null default false,
      acknowledge jsonb
    ) on commit drop`.execute(trx);
}

/** Appends points to the staging table. */
export async function stagePoints(trx: Transaction<Database>, points: readonly StagedPoint[]): Promise<void> {
  for (let start = 0; start < points.length; start += STAGE_CHUNK) {
    const chunk = points.slice(start, start + STAGE_CHUNK);
    const column = <T>(pick: (p: StagedPoint) => T) => chunk.map(pick);
    await sql`
      insert into point_stage
      select * from unnest(
        ${column((p) => p.ordinal)}::integer[], ${column((p) => p.id)}::uuid[], ${column((p) => p.initiativeId)}::uuid[],
        ${column((p) => p.indicatorId)}::uuid[], ${column((p) => p.period)}::text[], ${column((p) => p.periodIndex)}::integer[],
        ${column((p) => JSON.stringify(p.disaggregation))}::jsonb[], ${column((p) => p.disaggregationKey)}::text[],
        ${column((p) => p.value)}::float8[],
        ${column((p) => p.note)}::text[], ${column((p) => p.noteGiven)}::boolean[],
        ${column((p) => p.status)}::text[], ${column((p) => p.statusGiven)}::boolean[],
        ${column((p) => p.source)}::text[], ${column((p) => p.sourceGiven)}::boolean[],
        ${column((p) => p.obsStatus)}::text[], ${column((p) => p.obsStatusGiven)}::boolean[],
        ${column((p) => p.footnote)}::text[], ${column((p) => p.footnoteGiven)}::boolean[],
        ${column((p) => (p.acknowledge ? JSON.stringify(p.acknowledge) : null))}::jsonb[]
      )`.execute(trx);
  }
}

/** COPY's text format: backslash, tab and line ends escaped; `\N` is null. */
function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!)
    : value;
}

/** True when a point gives none of the optional fields (the staging table's defaults). */
function onlyRequired(p: StagedPoint): boolean {
  return (
    !p.noteGiven &&
    !p.statusGiven &&
    !p.sourceGiven &&
    !p.obsStatusGiven &&
    !p.footnoteGiven &&
    p.note === null &&
    p.status === null &&
    p.source === null &&
    p.obsStatus === null &&
    p.footnote === null &&
    p.acknowledge === null
  );
}

/**
 * Appends points to the staging table with one `COPY … FROM STDIN` (PostgreSQL only: the PGlite adapter
 * cannot stream COPY — use {@link stagePoints} there). Same result as `stagePoints`. Only what varies is sent:
 * the jsonb `disaggregation` never (the merge reads it from the canonical key), the indicator not when every
 * point is the staging table's default one, the optional fields not when no point of the batch gives any —
 * a typical file's row is then ~70 bytes of COPY instead of ~230, and the server parses no jsonb.
 *
 * Kysely has no COPY: the copy stream is handed to the connection as the query itself — `pg` accepts any
 * "submittable" in `client.query()` — and the transaction's connection is then busy until the stream ends.
 */
export async function stagePointsCopy(
  trx: Transaction<Database>,
  points: readonly StagedPoint[],
  defaults?: StageDefaults,
): Promise<void> {
  if (points.length === 0) return;
  const sameIndicator =
    defaults !== undefined &&
    points.every((p) => p.indicatorId === defaults.indicatorId && p.initiativeId === defaults.initiativeId);
  const lean = points.every(onlyRequired);
  const lines = new Array<string>(points.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const head = sameIndicator
      ? `${p.ordinal}\t${p.id}\t${copyText(p.period)}\t${p.periodIndex}\t${copyText(p.disaggregationKey)}\t${p.value ?? '\\N'}`
      : `${p.ordinal}\t${p.id}\t${p.initiativeId}\t${p.indicatorId}\t${copyText(p.period)}\t${p.periodIndex}\t${copyText(p.disaggregationKey)}\t${p.value ?? '\\N'}`;
    lines[i] = lean
      ? `${head}\n`
      : `${head}\t${copyText(p.note)}\t${p.noteGiven ? 't' : 'f'}\t${copyText(p.status)}\t${p.statusGiven ? 't' : 'f'}\t${copyText(p.source)}\t${p.sourceGiven ? 't' : 'f'}\t` +
        `${copyText(p.obsStatus)}\t${p.obsStatusGiven ? 't' : 'f'}\t${copyText(p.footnote)}\t${p.footnoteGiven ? 't' : 'f'}\t` +
        `${copyText(p.acknowledge ? JSON.stringify(p.acknowledge) : null)}\n`;
  }
  const columns = [
    'ordinal, id',
    ...(sameIndicator ? [] : ['initiative_id, indicator_id']),
    'period, period_index, disaggregation_key, value',
    ...(lean
      ? []
      : [
          'note, note_given, status, status_given, source, source_given, obs_status, obs_status_given, footnote, footnote_given, acknowledge',
        ]),
  ].join(', ');
  const stream = copyFrom(`copy point_stage (${columns}) from stdin`);
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  await trx.executeQuery(CompiledQuery.raw(stream as unknown as string));
  stream.end(lines.join(''));
  await done;
}

/**
 * Between planning and applying a merge: the data-quality gate (services/quality-gate.ts) reads the plan,
 * sets each version's flags in it, and throws when the write must be refused (nothing is then written).
 */
export type MergeGate = (trx: Transaction<Database>) => Promise<void>;

/** A planned change to a value of an approved or published period (docs/publication.md): refused. */
export interface LockedWrite {
  ordinal: number;
  period: string;
  state: PublicationState;
}

/** How many locked writes a dry run lists (a real write stops at the first). */
const LOCKED_LISTED = 1_000;

/**
 * Plans and applies the merge of everything staged; returns the counts. With `apply: false` (a dry run)
 * only the plan is made, so the counts say what would change and nothing is written. Changes to the values
 * of approved or published periods are refused (409 `period_locked`, each named by `pathOf`), or in a dry run
 * handed to `onLocked`; then `gate` runs between the plan and the writes. A write that changes a submitted
 * period sends it back to draft.
 */
export async function mergeStage(
  trx: Transaction<Database>,
  actor: string,
  how: string,
  options: {
    apply: boolean;
    gate?: MergeGate;
    pathOf?: (ordinal: number) => string;
    onLocked?: (rows: LockedWrite[]) => void;
    /**
     * An import: the plan leaves out the points that change nothing and acknowledge nothing (they are only
     * counted: a re-import of an unchanged file plans nothing); `mergedIds` then lists only the planned points.
     */
    onlyChanges?: boolean;
    /** A large write: the plan's statistics are refreshed before the gate reads it slice by slice. */
    analyze?: boolean;
  } = { apply: true },
): Promise<MergeCounts> {
  await planMerge(trx, options.onlyChanges ?? false, options.analyze ?? false);
  // Before the gate: acknowledging a flag of a locked period is allowed (it changes no value).
  const locked = await lockedPlanRows(trx, options.apply ? 20 : LOCKED_LISTED);
  if (locked.length > 0) {
    const pathOf = options.pathOf ?? ((ordinal: number) => `points.${ordinal}`);
    if (options.apply) throw lockedError(locked.map((row) => ({ ...row, field: pathOf(row.ordinal) })));
    options.onLocked?.(locked);
  }
  if (options.gate) await options.gate(trx);
  if (options.apply) {
    await applyPlannedFlags(trx);
    await applyMerge(trx, actor, how);
    await returnEditedToDraft(trx, actor);
  }
  return mergeCounts(trx);
}

/**
 * The plan (`point_plan`): each staged point with its id, next version and merged fields, its stored value
 * and flags (`old_value`, `old_flags`), whether its value or observation status changes (`recheck`: its flags
 * are found anew, else it keeps the stored ones) and whether nothing changes at all (`unchanged`).
 */
async function planMerge(trx: Transaction<Database>, onlyChanges: boolean, analyze: boolean): Promise<void> {
  await sql`
    create temp table point_plan on commit drop as
    select * from (
    select
      m.*,
      m.recheck or m.acknowledge is not null as gated,
      not m.is_new and not m.recheck and (m.note, m.status, m.source, m.footnote) is not distinct from
        (m.old_note, m.old_status, m.old_source, m.old_footnote) as unchanged
    from (
      select
        s.ordinal, s.initiative_id, s.indicator_id, s.period, s.period_index, s.disaggregation, s.disaggregation_key,
        coalesce(d.id, s.id) as id,
        d.id is null as is_new,
        coalesce(d.version, 0) + 1 as next_version,
        s.value,
        case when s.note_given then s.note else d.note end as note,
        case when s.status_given then s.status else d.status end as status,
        case when s.source_given then s.source else d.source end as source,
        -- A value given for a point marked M (missing) ends the mark.
        case when s.obs_status_given then s.obs_status when s.value is not null and d.obs_status = 'M' then null
          else d.obs_status end as obs_status,
        case when s.footnote_given then s.footnote else d.footnote end as footnote,
        s.acknowledge,
        d.value as old_value, d.note as old_note, d.status as old_status, d.source as old_source,
        d.footnote as old_footnote, coalesce(d.flags, '[]') as old_flags,
        d.id is null or s.value is distinct from d.value
          or (case when s.obs_status_given then s.obs_status when s.value is not null and d.obs_status = 'M' then null else d.obs_status end) is distinct from d.obs_status
          as recheck,
        case when d.id is null or s.value is distinct from d.value
          or (case when s.obs_status_given then s.obs_status when s.value is not null and d.obs_status = 'M' then null else d.obs_status end) is distinct from d.obs_status
          then '[]'::jsonb else d.flags end as flags
      from point_stage s
      left join data_points d
        on d.indicator_id = s.indicator_id and d.disaggregation_key = s.disaggregation_key
        and d.period = s.period and d.valid_to is null
    ) m
    ) p
    ${onlyChanges ? sql`where not (p.unchanged and not p.gated)` : sql``}`.execute(trx);
  if (analyze) await sql`analyze point_plan`.execute(trx);
  // The quality gate reads the plan slice by slice and sets flags by ordinal.
  await sql`create index on point_plan (indicator_id, disaggregation_key) where gated`.execute(trx);
  await sql`create index on point_plan (ordinal)`.execute(trx);
  await sql`create temp table point_flags (ordinal integer not null, flags jsonb not null) on commit drop`.execute(trx);
}

/**
 * Sets the flags of planned versions (by ordinal); a version whose flags change is no longer unchanged. The
 * flags are set down in `point_flags` and written into the plan by one statement before the merge is applied
 * (one update per gate batch, each joining its flags into the whole plan, cost ~10 % of a large import).
 */
export async function setPlannedFlags(
  trx: Transaction<Database>,
  flags: ReadonlyArray<{ ordinal: number; flags: unknown[] }>,
): Promise<void> {
  for (let start = 0; start < flags.length; start += STAGE_CHUNK) {
    const chunk = flags.slice(start, start + STAGE_CHUNK);
    await sql`
      insert into point_flags
      select * from unnest(${chunk.map((f) => f.ordinal)}::integer[], ${chunk.map((f) => JSON.stringify(f.flags))}::jsonb[])`.execute(
      trx,
    );
  }
}

/** Writes the flags set by the gate into the plan (see `setPlannedFlags`). */
async function applyPlannedFlags(trx: Transaction<Database>): Promise<void> {
  await sql`
    update point_plan p set flags = f.flags, unchanged = p.unchanged and p.old_flags = f.flags
    from point_flags f
    where p.ordinal = f.ordinal`.execute(trx);
}

/** Closes the versions that change and inserts their next versions (and version 1 of new points). */
async function applyMerge(trx: Transaction<Database>, actor: string, how: string): Promise<void> {
  // Close first, then insert: the partial unique index allows one current version per point.
  const at = await versionTimestamp(trx);
  await sql`
    update data_points d set valid_to = ${at}::timestamptz
    from point_plan p
    where d.id = p.id and d.valid_to is null and not p.is_new and not p.unchanged`.execute(trx);
  await sql`
    insert into data_points (
      id, version, initiative_id, indicator_id, period, period_index, disaggregation, disaggregation_key,
      value, note, status, source, obs_status, footnote, flags, recorded_by, recorded_how, valid_from)
    select id, next_version, initiative_id, indicator_id, period, period_index,
      coalesce(disaggregation, disaggregation_key::jsonb), disaggregation_key, value, note, status, source, obs_status, footnote, flags, ${actor}, ${how}, ${at}::timestamptz
    from point_plan where not unchanged`.execute(trx);
}

/** The counts: every staged point is inserted, updated or unchanged (planned or not, see `onlyChanges`). */
async function mergeCounts(trx: Transaction<Database>): Promise<MergeCounts> {
  const { rows } = await sql<{ inserted: number; updated: number; unchanged: number }>`
    select inserted, updated, (select count(*) from point_stage)::int - inserted - updated as unchanged
    from (
      select
        count(*) filter (where is_new)::int as inserted,
        count(*) filter (where not is_new and not unchanged)::int as updated
      from point_plan
    ) c`.execute(trx);
  return rows[0]!;
}

/** The ids of the merged points, in the order they were staged. */
export async function mergedIds(trx: Transaction<Database>): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`select id from point_plan order by ordinal`.execute(trx);
  return rows.map((row) => row.id);
}

/**
 * Locks the indicators' rows for the rest of the transaction, in id order (deadlock-free); returns the
 * ids that exist.
 */
export async function lockIndicators(
  trx: Transaction<Database>,
  indicatorIds: readonly string[],
): Promise<Set<string>> {
  if (indicatorIds.length === 0) return new Set();
  const rows = await trx
    .selectFrom('indicators')
    .select('id')
    .where('id', 'in', [...new Set(indicatorIds)].sort())
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Set(rows.map((row) => row.id));
}

/**
 * The planned writes (`point_plan`, repositories/point-merge.ts) that would change a value of an approved or
 * published period: the first `limit`, with the period's state. Read under the indicators' locks.
 */
export async function lockedPlanRows(trx: Transaction<Database>, limit: number): Promise<LockedWrite[]> {
  const { rows } = await sql<{ ordinal: number; period: string; state: PublicationState }>`
    select p.ordinal, p.period, pub.state
    from point_plan p
    join period_publications pub
      on pub.indicator_id = p.indicator_id and pub.period_index = p.period_index and pub.valid_to is null
    where not p.unchanged and pub.state in (${sql.join(LOCKED_STATES.map((s) => sql.lit(s)))})
    order by p.ordinal
    limit ${limit}`.execute(trx);
  return rows;
}

/** After a merge: submitted periods whose values changed go back to draft (`edit`), so approval sees them anew. */
export async function returnEditedToDraft(trx: Transaction<Database>, actor: string): Promise<void> {
  const at = await versionTimestamp(trx);
  await sql`
    with edited as (
      update period_publications pub set valid_to = ${at}::timestamptz
      from (select distinct indicator_id, period_index from point_plan where not unchanged) p
      where pub.indicator_id = p.indicator_id and pub.period_index = p.period_index
        and pub.valid_to is null and pub.state = 'submitted'
      returning pub.*
    )
    insert into period_publications (indicator_id, initiative_id, period, period_index, version, state,
      published_at, reason, action, actor, valid_from)
    select indicator_id, initiative_id, period, period_index, version + 1, 'draft',
      published_at, 'its values changed after it was submitted', 'edit', ${actor}, ${at}::timestamptz
    from edited`.execute(trx);
}

/** Refuses a change to the values of an approved or published period (a point's delete). */
export async function assertPeriodUnlocked(
  trx: Transaction<Database>,
  indicatorId: string,
  periodIndex: number,
  period: string,
): Promise<void> {
  const row = await trx
    .selectFrom('periodPublications')
    .select('state')
    .where('indicatorId', '=', indicatorId)
    .where('periodIndex', '=', periodIndex)
    .where('validTo', 'is', null)
    .executeTakeFirst();
  if (row && LOCKED_STATES.includes(row.state)) throw lockedError([{ period, state: row.state, field: 'period' }]);
}

/** The error a write into locked periods gets (409 period_locked). */
export function lockedError(rows: Array<{ period: string; state: PublicationState; field: string }>): ConflictError {
  const periods = [...new Set(rows.map((r) => r.period))];
  return new ConflictError(
    'period_locked',
    `${periods.slice(0, 5).join(', ')}${periods.length > 5 ? ' and more' : ''} ${periods.length === 1 ? 'is' : 'are'} ${rows[0]!.state}: an editor must reopen ${periods.length === 1 ? 'it' : 'them'} (with a reason) before the values can change; nothing was written.`,
    rows.map((r) => ({
      field: r.field,
      code: 'period_locked',
      message: `${r.period} is ${r.state}: reopen it to change its values`,
    })),
  );
}
