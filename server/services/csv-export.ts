/**
 * Tidy CSV exports (`GET /indicators/{id}/data.csv`, `GET /results/{id}/data.csv`; docs/csv.md): the layout
 * is decided from the indicators (domain/csv-export.ts), then the points are read page by page and turned
 * into CSV text as the response streams, so memory stays bounded. The file is what the imports read back:
 * exporting and importing it again changes nothing.
 */
import { exportFileName, exportLayout, csvText, type ExportIndicator } from '../domain/csv-export.ts';
import { audienceOf, cellKey, type Audience } from '../domain/disclosure.ts';
import type { Db } from '../dependencies.ts';
import { exportIndicator, exportIndicatorsOfResult, exportPages } from '../repositories/exports.ts';
import { findResultOrThrow } from '../repositories/results.ts';
import { readerViewsOf, withheldCells } from './reader-view.ts';

export interface ExportOptions {
  /** The figures as they stood then. */
  asOf?: Date | undefined;
  /** Start with a UTF-8 byte-order mark (for Excel). */
  bom: boolean;
}

export interface CsvDownload {
  fileName: string;
  /** The file's text, produced as it is read. */
  chunks: AsyncGenerator<string>;
}

async function* csvChunks(
  db: Db,
  indicators: ExportIndicator[],
  level: 'indicator' | 'result',
  { asOf, bom }: ExportOptions,
  audience: Audience,
): AsyncGenerator<string> {
  const readers = await readerViewsOf(
    db,
    indicators.map((i) => i.id),
    audience,
    asOf,
  );
  const suppressing = [...readers.values()].some((r) => r.minCellSize !== null);
  const layout = exportLayout(indicators, level, { confStatus: suppressing });
  yield (bom ? '\uFEFF' : '') + csvText([layout.header]);
  for (const indicator of indicators) {
    const reader = readers.get(indicator.id)!;
    // Suppression judges each period's cells together: the withheld ones are found before the pages stream.
    const withheld = await withheldCells(db, indicator.id, reader);
    for await (const page of exportPages(db, indicator.id, reader.view))
      yield csvText(
        layout.rows(
          indicator,
          withheld.size === 0
            ? page
            : page.map((p) => (withheld.has(cellKey(p)) ? { ...p, confStatus: 'C' as const } : p)),
        ),
      );
  }
}

/** Every point of an indicator: the total first, then each slice, each by period. */
export async function exportIndicatorCsv(
  db: Db,
  indicatorId: string,
  options: ExportOptions,
  includePrivate: boolean,
): Promise<CsvDownload> {
  const indicator = await exportIndicator(db, indicatorId);
  return {
    fileName: exportFileName(indicator.code ?? indicator.name, options.asOf),
    chunks: csvChunks(db, [indicator], 'indicator', options, audienceOf(includePrivate)),
  };
}

/** Every point of every indicator of a result the reader may see, with an `indicator` column. */
export async function exportResultCsv(
  db: Db,
  resultId: string,
  options: ExportOptions,
  includePrivate: boolean,
): Promise<CsvDownload> {
  const result = await findResultOrThrow(db, resultId);
  const indicators = await exportIndicatorsOfResult(db, result.id, includePrivate);
  return {
    fileName: exportFileName(`result-${result.id}`, options.asOf),
    chunks: csvChunks(db, indicators, 'result', options, audienceOf(includePrivate)),
  };
}
