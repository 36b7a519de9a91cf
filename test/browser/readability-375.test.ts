/** Every demo embed page and chart SVG readable at 375 px (a phone): see readability.ts. */
import t from '../helpers/tap.ts';
import { checkReadability } from './readability.ts';

await checkReadability(t, 375);
