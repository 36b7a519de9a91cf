/**
 * Tidy CSV exports (api.md "Dashboards and data for embedding"; docs/csv.md):
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
import { csvText, exportFileName, exportLayout } from '../domain/csv-export.ts';
import { CsvResponse, ExportQuery } from '../domain/csv-report.ts';
import { NotFoundError } from '../errors.ts';
import { seesPrivate } from '../auth/visibility.ts';
import {
  exportIndicator,
  exportIndicatorsOfResult,
  exportPages,
  type ExportIndicator,
} from '../repositories/imports.ts';
import type { AppDependencies } from '../dependencies.ts';
import type { Database } from '../../schema/database.ts';
import type { Kysely } from 'kysely';

const tags = ['data points'];

async function* csvChunks(
  db: Kysely<Database>,
  indicators: ExportIndicator[],
  level: 'indicator' | 'result',
  asOf: Date | undefined,
  bom: boolean,
) {
  const layout = exportLayout(indicators, level);
  yield (bom ? '\uFEFF' : '') + csvText([layout.header]);
  for (const indicator of indicators) {
    for await (const page of exportPages(db, indicator.id, asOf)) yield csvText(layout.rows(indicator, page));
  }
}

function sendCsv(reply: FastifyReply, fileName: string, chunks: AsyncGenerator<string>) {
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
    handler: async (request, reply) => {
      const indicator = await exportIndicator(db, request.params.indicatorId);
      const { asOf, bom } = request.query;
      return sendCsv(
        reply,
        exportFileName(indicator.code ?? indicator.name, asOf),
        csvChunks(db, [indicator], 'indicator', asOf, bom),
      );
    },
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
    handler: async (request, reply) => {
      const result = await db
        .selectFrom('results')
        .select('id')
        .where('id', '=', request.params.resultId)
        .executeTakeFirst();
      if (!result) throw new NotFoundError('result', request.params.resultId);
      const indicators = await exportIndicatorsOfResult(db, result.id, seesPrivate(request));
      const { asOf, bom } = request.query;
      return sendCsv(
        reply,
        exportFileName(`result-${result.id}`, asOf),
        csvChunks(db, indicators, 'result', asOf, bom),
      );
    },
  });
};
