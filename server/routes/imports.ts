/**
 * CSV imports (docs/csv.md has the formats; the use case is services/csv-import.ts):
 *
 * - `POST /indicators/{indicatorId}/data-points/import` — rows of one indicator;
 * - `POST /results/{resultId}/import` — rows of any indicator of a result (an `indicator` column: code or id);
 * - `GET /imports/{importId}` — the record of an import (`recorded_how = import:<id>` on the points it wrote).
 *
 * The body is read as a stream: in this plugin's scope `text/csv` (and the types spreadsheets and browsers
 * send for .csv files) hand the raw request to the handler, which streams it through the import
 * (services/csv-import.ts) — so a file of any size up to 512 MB uses bounded memory. Any other body (JSON…)
 * is a 415, answered only after access control, like every other validation error.
 *
 * Access:
 * - indicator-level: `write_data` on the indicator (as `PUT …/data-points`);
 * - result-level: anonymous 401; otherwise whoever may write data of the result's indicators — editors and
 *   administrators of the initiative, and contributors whose partner owns at least one of them (anyone else:
 *   403, or 404 when the result is private to them). The policy's `write_data` on a result would stop every
 *   contributor, so the route declares `read` on the result (visibility, 404) and checks the write itself;
 *   then each row's indicator is checked: rows of indicators the caller may not write are a 403 for the
 *   whole file, naming them;
 * - `GET /imports/{importId}`: tokens of the import's initiative (any role) and administrators; 404 for
 *   anyone else — the record names who imported and quotes rejected cells.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { errorResponses, Uuid } from '../../schema/contracts/common.ts';
import { CsvBody, ImportQuery, ImportRecord, ImportReport, MAX_IMPORT_BYTES } from '../../schema/contracts/imports.ts';
import { actorName, canSeePrivate } from '../auth/policy.ts';
import { ApiError, NotFoundError, UnauthenticatedError } from '../errors.ts';
import { findImport } from '../repositories/imports.ts';
import { authorizeResultImport, runImport, type ImportTarget } from '../services/csv-import.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['data points'];

export type ImportRouteOptions = AppDependencies & {
  /** Largest file, as sent and once unpacked (default 512 MB; tests lower it). */
  maxImportBytes?: number;
};

/** Media types read as CSV: the standard one, and what Excel, browsers and curl users send for .csv files. */
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];
/** Stands for a body that is not CSV (JSON, a form…): the handler answers 415 after access control. */
const NOT_CSV = Symbol('not csv');

function isStream(body: unknown): body is Readable {
  return typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function';
}

const NotCsvError = () =>
  new ApiError(
    415,
    'unsupported_media_type',
    'Send the file as the raw request body with Content-Type: text/csv (e.g. curl --data-binary @file.csv -H "Content-Type: text/csv").',
  );

const importDescription = (level: 'indicator' | 'result') =>
  [
    `The body is the CSV file itself (\`Content-Type: text/csv\`; docs/csv.md shows the formats). Columns: ${level === 'result' ? '`indicator` (code or id), ' : ''}` +
      '`period`, `value`, one column per declared dimension (empty = the total), optional `note`, `status`, `source`. ' +
      'Open SDG files (`Year`, dimension columns, `Value`; `Units`, `Series`, `GeoCode`, `Observation status`… are ignored) load as they are.',
    'All rows are written or none: a file with bad rows is a 422 whose details name each row (`rows.<row>.<column>`, the header being row 1: the first 1,000, then a count); a header that cannot be used is a 400. ' +
      'Rows follow the rules of `PUT …/data-points`: empty note/status/source cells keep the stored value (`emptyCells=clear` clears them), unchanged points get no new version, so re-importing a file changes nothing.',
    '`dryRun=true` checks everything and reports what would be inserted, updated, unchanged and rejected, writing nothing (its errors are in the report, with status 200).',
    level === 'result'
      ? 'Editors write every indicator of the result; a contributor only those its partner owns — rows of any other indicator make the whole file a 403 naming them.'
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');

export const importRoutes: FastifyPluginAsyncZod<ImportRouteOptions> = async (app, { db, maxImportBytes }) => {
  // CSV reaches the handler as the raw stream; everything else as a marker (a 415 after access control).
  for (const type of CSV_TYPES) app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', (_request, _payload, done) => done(null, NOT_CSV));
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, NOT_CSV));

  const handleImport = async (
    request: FastifyRequest<{ Querystring: ImportQuery }>,
    reply: FastifyReply,
    target: ImportTarget,
  ) => {
    const body = request.body;
    if (!isStream(body)) throw NotCsvError();
    // The connection closing before the answer is sent: the client left, the import stops.
    const left = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableEnded) left.abort();
    };
    reply.raw.once('close', onClose);
    try {
      return await runImport(db, {
        signal: left.signal,
        ...(maxImportBytes !== undefined && { maxBytes: maxImportBytes, maxUnpackedBytes: maxImportBytes }),
        target,
        body,
        contentEncoding: request.headers['content-encoding'],
        principal: request.principal,
        actor: actorName(request.principal),
        query: request.query,
      });
    } catch (error) {
      // Stopped before the end of the upload: answer now and close the connection, discarding the rest.
      if (!body.readableEnded) {
        reply.header('connection', 'close');
        body.resume();
      }
      throw error;
    } finally {
      reply.raw.off('close', onClose);
    }
  };

  app.post('/indicators/:indicatorId/data-points/import', {
    config: { access: { action: 'write_data', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    bodyLimit: MAX_IMPORT_BYTES,
    schema: {
      operationId: 'importIndicatorCsv',
      summary: 'Import a CSV file of data points into an indicator (all rows or none)',
      description: importDescription('indicator'),
      tags,
      consumes: ['text/csv'],
      params: z.object({ indicatorId: Uuid }),
      querystring: ImportQuery,
      body: CsvBody,
      response: { 200: ImportReport, ...errorResponses(403, 404, 413, 415, 422) },
    },
    handler: async (request, reply) =>
      handleImport(request, reply, {
        kind: 'indicator',
        id: request.params.indicatorId,
        initiativeId: request.anchor!.initiativeId,
      }),
  });

  app.post('/results/:resultId/import', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    bodyLimit: MAX_IMPORT_BYTES,
    // A write without a token is a 401 before anything else (the declared rule is a read: see above).
    onRequest: async (request) => {
      if (request.principal.kind === 'anonymous') throw new UnauthenticatedError();
    },
    // Who may write data of some of the result's indicators (auth/policy.ts); each row's indicator is
    // checked during the import.
    preValidation: async (request) => {
      if (request.anchor === null) return; // a malformed id: validation answers 400
      const { resultId } = request.params as { resultId: string };
      await authorizeResultImport(db, request.principal, request.anchor, resultId);
    },
    schema: {
      operationId: 'importResultCsv',
      summary: 'Import a CSV file of data points of several indicators of a result (all rows or none)',
      description: importDescription('result'),
      tags,
      consumes: ['text/csv'],
      params: z.object({ resultId: Uuid }),
      querystring: ImportQuery,
      body: CsvBody,
      response: { 200: ImportReport, ...errorResponses(403, 404, 413, 415, 422) },
    },
    handler: async (request, reply) =>
      handleImport(request, reply, {
        kind: 'result',
        id: request.params.resultId,
        initiativeId: request.anchor!.initiativeId,
      }),
  });

  app.get('/imports/:importId', {
    config: { access: { action: 'read' } },
    schema: {
      operationId: 'getImport',
      summary: 'Read the record of a CSV import: who, when, counts and the rejected rows',
      description:
        "Data points written by an import record `import:<importId>` as how (see their history). Visible to tokens of the import's initiative and to administrators; 404 for anyone else.",
      tags,
      params: z.object({ importId: Uuid }),
      response: { 200: ImportRecord, ...errorResponses(404) },
    },
    handler: async (request) => {
      const record = await findImport(db, request.params.importId);
      if (!record || !canSeePrivate(request.principal, record.initiativeId))
        throw new NotFoundError('import', request.params.importId);
      return record;
    },
  });
};
