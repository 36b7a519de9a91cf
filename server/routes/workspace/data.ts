/** Entering data: the grid, and CSV imports of an indicator or a result (check, then import). */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../schema/contracts/common.ts';
import type { ImportReport } from '../../../schema/contracts/imports.ts';
import { actorName } from '../../auth/policy.ts';
import { embedAssets } from '../../plugins/assets.ts';
import { gridPage, importPage, type ImportView } from '../../pages/data-entry.ts';
import { TEXT } from '../../pages/text.ts';
import type { AppDependencies } from '../../dependencies.ts';
import { BadRequestError, DomainError, ForbiddenError, UnprocessableError } from '../../errors.ts';
import { findIndicatorOrThrow } from '../../repositories/indicators.ts';
import { findInitiativeOrThrow } from '../../repositories/initiatives.ts';
import { findResultOrThrow } from '../../repositories/results.ts';
import { authorizeResultImport, runImport, type ImportTarget } from '../../services/csv-import.ts';
import {
  addGridPeriod,
  gridFromForm,
  loadGrid,
  saveGrid,
  type CellProblem,
  type GridState,
} from '../../services/workspace-grid.ts';
import { allow, checkCsrf, CsrfError, frameOf, html, personOf } from './context.ts';

const IndicatorParams = z.object({ indicatorId: Uuid });
const ResultParams = z.object({ resultId: Uuid });
/** Values up to 2,100 characters: a warning carried in the form (`code|message`) and a comment (2,000). */
const GridBody = z.record(
  z.string().max(100),
  z.union([z.string().max(2100), z.array(z.string().max(2100)).max(1000)]),
);

function problemText(problem: CellProblem): string {
  if (problem === 'not_a_number') return TEXT.notANumber;
  if (problem === 'cannot_clear') return TEXT.cannotClear;
  if (problem === 'comment_required') return TEXT.commentRequired;
  if ('conflict' in problem) return TEXT.conflict(problem.conflict);
  if ('needsAcknowledgement' in problem) return TEXT.needsAcknowledgement(problem.needsAcknowledgement);
  return problem.rule;
}

export const dataRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  const { workspace } = embedAssets();
  const renderGrid = (
    request: FastifyRequest,
    reply: FastifyReply,
    state: GridState,
    options: { notice?: string | null; problem?: string | null; status?: number } = {},
  ) =>
    html(
      reply,
      gridPage(
        { ...frameOf(request, reply), notice: options.notice ?? null },
        {
          id: state.indicator.id,
          name: state.indicator.name,
          crumbs: [
            { href: '/app', label: TEXT.home },
            { href: `/app/indicators/${state.indicator.id}`, label: state.indicator.name },
          ],
          columns: state.columns,
          rows: state.rows,
          periodExample: state.periodExample,
          problem: options.problem ?? null,
          pasteScript: workspace.gridPaste,
        },
      ),
      options.status ?? 200,
    );

  app.get('/indicators/:indicatorId/data', {
    schema: {
      hide: true,
      params: IndicatorParams,
      querystring: z.object({
        saved: z.coerce.number().int().min(0).optional(),
        acknowledged: z.coerce.number().int().min(0).optional(),
        warnings: z.coerce.number().int().min(0).optional(),
      }),
    },
    handler: async (request, reply) => {
      await allow(db, request, 'indicator', request.params.indicatorId, 'write_data');
      const { saved, acknowledged = 0, warnings = 0 } = request.query;
      const notice =
        saved === undefined
          ? null
          : [
              saved === 0 && acknowledged === 0 ? TEXT.nothingChanged : saved > 0 ? TEXT.saved(saved) : '',
              acknowledged > 0 ? TEXT.acknowledgedCount(acknowledged) : '',
              warnings > 0 ? TEXT.warningsRecorded(warnings) : '',
            ]
              .filter(Boolean)
              .join(' ');
      return renderGrid(request, reply, await loadGrid(db, request.params.indicatorId), { notice });
    },
  });

  app.post('/indicators/:indicatorId/data', {
    schema: { hide: true, params: IndicatorParams, body: GridBody },
    handler: async (request, reply) => {
      checkCsrf(request, request.body._csrf);
      const { indicatorId } = request.params;
      await allow(db, request, 'indicator', indicatorId, 'write_data');
      const state = await gridFromForm(db, indicatorId, request.body);
      if (request.body.action === 'add') return renderGrid(request, reply, await addGridPeriod(db, state));
      const outcome = await saveGrid(db, state, actorName(request.principal), problemText);
      if (outcome.kind === 'saved') {
        const extra =
          (outcome.acknowledged > 0 ? `&acknowledged=${outcome.acknowledged}` : '') +
          (outcome.warnings > 0 ? `&warnings=${outcome.warnings}` : '');
        return reply.redirect(`/app/indicators/${indicatorId}/data?saved=${outcome.changed}${extra}`, 303);
      }
      const count = outcome.state.rows.reduce(
        (n, row) => n + row.cells.filter((c) => c.error || c.commentError).length + (row.periodError ? 1 : 0),
        0,
      );
      return renderGrid(request, reply, outcome.state, {
        problem: outcome.problem ?? TEXT.notSaved(count),
        status: 422,
      });
    },
  });

  // CSV imports --------------------------------------------------------------------------------------

  interface Target {
    target: ImportTarget;
    name: string;
    path: string;
  }

  const indicatorTarget = async (request: FastifyRequest, indicatorId: string): Promise<Target> => {
    const anchor = await allow(db, request, 'indicator', indicatorId, 'write_data');
    const indicator = await findIndicatorOrThrow(db, indicatorId);
    return {
      target: { kind: 'indicator', id: indicatorId, initiativeId: anchor.initiativeId },
      name: indicator.name,
      path: `/app/indicators/${indicatorId}`,
    };
  };
  const resultTarget = async (request: FastifyRequest, resultId: string): Promise<Target> => {
    const anchor = await allow(db, request, 'result', resultId, 'read');
    await authorizeResultImport(db, request.principal, anchor, resultId);
    const result = await findResultOrThrow(db, resultId);
    return {
      target: { kind: 'result', id: resultId, initiativeId: anchor.initiativeId },
      name: result.statement,
      path: `/app/results/${resultId}`,
    };
  };

  const renderImport = (
    request: FastifyRequest,
    reply: FastifyReply,
    target: Target,
    view: Partial<Pick<ImportView, 'problem' | 'report' | 'readyCsv' | 'done' | 'mustAcknowledge'>>,
    status = 200,
  ) =>
    html(
      reply,
      importPage(frameOf(request, reply), {
        action: `${target.path}/import`,
        name: target.name,
        crumbs: [
          { href: '/app', label: TEXT.home },
          { href: target.path, label: target.name },
        ],
        backHref: target.path,
        problem: view.problem ?? null,
        report: view.report ?? null,
        readyCsv: view.readyCsv ?? null,
        done: view.done ?? null,
        mustAcknowledge: view.mustAcknowledge ?? false,
      }),
      status,
    );

  const reportView = (report: ImportReport) => ({
    rows: report.rows,
    inserted: report.inserted,
    updated: report.updated,
    unchanged: report.unchanged,
    rejected: report.rejected,
    skipped: report.skipped,
    errors: report.errors,
    warningCount: report.warningCount,
    warnings: report.warnings,
    changes: report.changes,
  });

  /** Runs the import service on the file's text; problems of the file become the page's message. */
  const importText = async (request: FastifyRequest, target: Target, csv: string, dryRun: boolean) => {
    try {
      const report = await runImport(db, {
        target: target.target,
        body: Readable.from([Buffer.from(csv, 'utf8')]),
        principal: request.principal,
        actor: actorName(request.principal),
        query: { dryRun, emptyCells: 'keep' },
      });
      return { report, problem: null };
    } catch (error) {
      if (error instanceof UnprocessableError || error instanceof BadRequestError || error instanceof ForbiddenError)
        return { report: null, problem: error.message };
      if (error instanceof DomainError && error.kind === 'too_large') return { report: null, problem: error.message };
      throw error;
    }
  };

  const check = async (request: FastifyRequest, reply: FastifyReply, target: Target) => {
    let file;
    try {
      file = await request.file();
    } catch {
      throw new CsrfError();
    }
    if (!file) throw new CsrfError();
    const csrf = file.fields._csrf;
    checkCsrf(request, csrf && 'value' in csrf ? csrf.value : undefined);
    const buffer = await file.toBuffer();
    if (buffer.length === 0) return renderImport(request, reply, target, { problem: TEXT.chooseFile }, 422);
    const csv = buffer.toString('utf8');
    const { report, problem } = await importText(request, target, csv, true);
    if (!report) return renderImport(request, reply, target, { problem }, 422);
    // Where the initiative blocks unacknowledged warnings, the import would be refused: say so now.
    const { quality } = await findInitiativeOrThrow(db, target.target.initiativeId);
    const mustAcknowledge = quality?.warnings === 'block' && report.warnings.some((w) => !w.acknowledged);
    const clean = report.errorCount === 0 && !mustAcknowledge;
    return renderImport(
      request,
      reply,
      target,
      { report: reportView(report), readyCsv: clean ? csv : null, mustAcknowledge },
      clean ? 200 : 422,
    );
  };

  const confirm = async (
    request: FastifyRequest<{ Body: { _csrf?: string | undefined; csv: string } }>,
    reply: FastifyReply,
    target: Target,
  ) => {
    checkCsrf(request, request.body._csrf);
    const { report, problem } = await importText(request, target, request.body.csv, false);
    if (!report) return renderImport(request, reply, target, { problem }, 422);
    const recorded = report.warnings.filter((w) => !w.acknowledged).length;
    const done = [TEXT.imported(report.inserted, report.updated), recorded > 0 ? TEXT.importWarnings(recorded) : '']
      .filter(Boolean)
      .join(' ');
    return renderImport(request, reply, target, { done });
  };

  const ConfirmBody = z.object({ _csrf: z.string().max(100).optional(), csv: z.string().min(1) });

  app.get('/indicators/:indicatorId/import', {
    schema: { hide: true, params: IndicatorParams },
    handler: async (request, reply) =>
      renderImport(request, reply, await indicatorTarget(request, request.params.indicatorId), {}),
  });
  app.post('/indicators/:indicatorId/import', {
    schema: { hide: true, params: IndicatorParams },
    handler: async (request, reply) =>
      check(request, reply, await indicatorTarget(request, request.params.indicatorId)),
  });
  app.post('/indicators/:indicatorId/import/confirm', {
    schema: { hide: true, params: IndicatorParams, body: ConfirmBody },
    handler: async (request, reply) =>
      confirm(request, reply, await indicatorTarget(request, request.params.indicatorId)),
  });
  app.get('/results/:resultId/import', {
    schema: { hide: true, params: ResultParams },
    handler: async (request, reply) =>
      renderImport(request, reply, await resultTarget(request, request.params.resultId), {}),
  });
  app.post('/results/:resultId/import', {
    schema: { hide: true, params: ResultParams },
    handler: async (request, reply) => check(request, reply, await resultTarget(request, request.params.resultId)),
  });
  app.post('/results/:resultId/import/confirm', {
    schema: { hide: true, params: ResultParams, body: ConfirmBody },
    handler: async (request, reply) => confirm(request, reply, await resultTarget(request, request.params.resultId)),
  });
  void personOf;
};
