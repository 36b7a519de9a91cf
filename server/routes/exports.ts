/**
 * Tidy CSV exports (docs/csv.md; the use case is services/csv-export.ts):
 *
 * - `GET /indicators/{indicatorId}/data.csv` — every point of an indicator (total and slices);
 * - `GET /results/{resultId}/data.csv` — every point of every indicator of a result, with an `indicator`
 *   column (its code, or its id); private indicators of a public result are left out for callers who may
 *   not see them (as in the result's lists).
 *
 * `asOf` gives the figures as they stood then. The file is streamed page by page (memory stays bounded) and
 * is what the imports read back: exporting and importing it again changes nothing.
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, Uuid } from '../../schema/contracts/common.ts';
import { CsvResponse, ExportQuery } from '../../schema/contracts/imports.ts';
import { seesPrivate } from '../auth/visibility.ts';
import type { AppDependencies } from '../dependencies.ts';
import { exportIndicatorCsv, exportResultCsv, type CsvDownload } from '../services/csv-export.ts';

const tags = ['data points'];

function sendCsv(reply: FastifyReply, { fileName, chunks }: CsvDownload) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(chunks, { objectMode: false }));
}

export const exportRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.get('/indicators/:indicatorId/data.csv', {
    config: { access: { action: 'read', anchor: { kind: 'indicator', param: 'indicatorId' } } },
    schema: {
      operationId: 'exportIndicatorCsv',
      summary: "Download an indicator's data as tidy CSV",
      description:
        'Columns: `period`, one per declared dimension (empty = the total), `value`, `note`, `status`, `source`; the total first, then each slice, by period. ' +
        'Importing the file again changes nothing. `asOf`: the figures as they stood then; `bom=true`: a byte-order mark for Excel.',
      tags,
      params: z.object({ indicatorId: Uuid }),
      querystring: ExportQuery,
      response: { 200: CsvResponse, ...errorResponses(404) },
    },
    handler: async (request, reply) =>
      sendCsv(reply, await exportIndicatorCsv(db, request.params.indicatorId, request.query, seesPrivate(request))),
  });

  app.get('/results/:resultId/data.csv', {
    config: { access: { action: 'read', anchor: { kind: 'result', param: 'resultId' } } },
    schema: {
      operationId: 'exportResultCsv',
      summary: 'Download the data of every indicator of a result as tidy CSV',
      description:
        'Columns: `indicator` (its code, or its id when it has none), `period`, every dimension of the indicators, `value`, `note`, `status`, `source`. ' +
        'Private indicators are left out for callers who may not see them. The file imports back unchanged through `POST /results/{resultId}/import`.',
      tags,
      params: z.object({ resultId: Uuid }),
      querystring: ExportQuery,
      response: { 200: CsvResponse, ...errorResponses(404) },
    },
    handler: async (request, reply) =>
      sendCsv(reply, await exportResultCsv(db, request.params.resultId, request.query, seesPrivate(request))),
  });
};
