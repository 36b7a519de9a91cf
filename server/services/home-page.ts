/** The page at `/` (dashboards/home-page.ts) with the first public results. */
import { homePageHtml } from '../../dashboards/home-page.ts';
import type { Db } from '../dependencies.ts';
import { listPublicResults } from '../repositories/public-results.ts';

export async function getHomePage(db: Db): Promise<string> {
  return homePageHtml({ results: await listPublicResults(db, 20) });
}
