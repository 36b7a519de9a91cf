/**
 * The copy-paste HTML that puts a public indicator or result on a partner's website
 * (`GET /indicators/{id}/embed`, `GET /results/{id}/embed`): an iframe of its embed page and the few
 * lines that apply the height the page reports. Private objects cannot be embedded.
 */
import { embedSnippet } from '../domain/dashboard-views.ts';
import type { Db } from '../dependencies.ts';
import { UnprocessableError } from '../errors.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';
import { findResultOrThrow } from '../repositories/results.ts';

export interface EmbedSnippet {
  embedUrl: string;
  html: string;
  protocol: string;
}

const PROTOCOL =
  'The embed page posts { type: "rba-embed:height", embedId, height } to its parent on load and on every size change.';

function notPublic(kind: string): UnprocessableError {
  return new UnprocessableError(
    'not_public',
    `This ${kind} is private: make it public before embedding it on a public website.`,
    [{ field: 'visibility', code: 'not_public', message: 'set visibility to public' }],
  );
}

/** `publicUrl`: this server's configured public base URL (`https://rba.example.org`, PUBLIC_URL). */
export async function getIndicatorEmbedSnippet(db: Db, indicatorId: string, publicUrl: string): Promise<EmbedSnippet> {
  const indicator = await findIndicatorOrThrow(db, indicatorId);
  if (indicator.visibility !== 'public') throw notPublic('indicator');
  const embedUrl = `${publicUrl}/embed/indicators/${indicator.id}`;
  return { embedUrl, html: embedSnippet(embedUrl, new URL(publicUrl).origin, indicator.name), protocol: PROTOCOL };
}

export async function getResultEmbedSnippet(db: Db, resultId: string, publicUrl: string): Promise<EmbedSnippet> {
  const result = await findResultOrThrow(db, resultId);
  if (result.visibility !== 'public') throw notPublic('result');
  const embedUrl = `${publicUrl}/embed/results/${result.id}`;
  return { embedUrl, html: embedSnippet(embedUrl, new URL(publicUrl).origin, result.statement), protocol: PROTOCOL };
}
