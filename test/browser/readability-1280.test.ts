/** Every demo embed page and chart SVG readable at 1280 px (a laptop): see readability.ts. */
import t from '../helpers/tap.ts';
import { checkReadability } from './readability.ts';

await checkReadability(t, 1280);
