/**
 * The static list of migrations, in order. A new migration is a new file here, never an edit of an
 * applied one. Names sort in the order they apply (Kysely checks).
 */
import type { Migration } from 'kysely';
import * as initialTree from './2026112101-initial-tree.ts';
import * as accessTokens from './2026112102-access-tokens.ts';
import * as imports from './2026112103-imports.ts';
import * as accountability from './2026112104-accountability.ts';
import * as indicatorForecastMethod from './2026120201-indicator-forecast-method.ts';
import * as baselineFits from './2026120301-baseline-fits.ts';
import * as people from './2026120302-people.ts';
import * as changeNotify from './2026120303-change-notify.ts';
import * as dataQuality from './2026120401-data-quality.ts';
import * as publication from './2026120501-publication.ts';
import * as memberships from './2026120601-memberships.ts';

export const migrations: Record<string, Migration> = {
  '2026112101-initial-tree': initialTree,
  '2026112102-access-tokens': accessTokens,
  '2026112103-imports': imports,
  '2026112104-accountability': accountability,
  '2026120201-indicator-forecast-method': indicatorForecastMethod,
  '2026120301-baseline-fits': baselineFits,
  '2026120302-people': people,
  '2026120303-change-notify': changeNotify,
  '2026120401-data-quality': dataQuality,
  '2026120501-publication': publication,
  '2026120601-memberships': memberships,
};
