/**
 * Tidy CSV exports (`GET /indicators/{id}/data.csv`, `GET /results/{id}/data.csv`; docs/csv.md): the layout
 * is decided from the indicators (domain/csv-export.ts), then the points are read page by page and turned
 * into CSV text as the response streams, so memory stays bounded. The file is what the imports read back:
 * exporting and importing it again changes nothing.
 */
import { exportFileName, exportLayout, csvText, type ExportIndicator } from '../domain/csv-export.ts';
import type { Db } from '../dependencies.ts';
import { exportIndicator, exportIndicatorsOfResult, exportPages } from '../repositories/exports.ts';
import { findResultOrThrow } from '../repositories/results.ts';

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
): AsyncGenerator<string> {
  const layout = exportLayout(indicators, level);
  yield (bom ? '\uFEFF' : '') + csvText([layout.header]);
  for (const indicator of indicators) {
    for await (const page of exportPages(db, indicator.id, asOf)) yield csvText(layout.rows(indicator, page));
  }
}

/** Every point of an indicator: the total first, then each slice, each by period. */
export async function exportIndicatorCsv(db: Db, indicatorId: string, options: ExportOptions): Promise<CsvDownload> {
  const indicator = await exportIndicator(db, indicatorId);
  return {
    fileName: exportFileName(indicator.code ?? indicator.name, options.asOf),
    chunks: csvChunks(db, [indicator], 'indicator', options),
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
    chunks: csvChunks(db, indicators, 'result', options),
  };
}
