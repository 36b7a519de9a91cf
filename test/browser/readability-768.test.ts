/** Every demo embed page and chart SVG readable at 768 px (a tablet): see readability.ts. */
import t from '../helpers/tap.ts';
import { checkReadability } from './readability.ts';

await checkReadability(t, 768);
