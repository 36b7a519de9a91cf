/**
 * Writes schema/contracts/example-answers.json (`npm run examples`): the answers this server gives to the story
 * of the OpenAPI examples, ids and timestamps made fixed. Review the diff before committing: it is the change a
 * client of the API sees.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildTestApp } from '../helpers/test-app.ts';
import { normalize, playExampleStory } from './story.ts';

if (!process.argv.includes('--write')) {
  console.log('Run `npm run examples` (this script with --write) to rewrite the example answers.');
  process.exit(0);
}

const cleanups: (() => unknown)[] = [];
const api = await buildTestApp({ teardown: (fn) => cleanups.push(fn) });
try {
  const { indicator, upsertSummary, analysis, importReport } = await playExampleStory(api);
  const answers = normalize({ indicator, upsertSummary, analysis, importReport }, new Map());
  const path = fileURLToPath(new URL('../../schema/contracts/example-answers.json', import.meta.url));
  writeFileSync(path, `${JSON.stringify(answers, null, 2)}\n`);
  console.log('written   schema/contracts/example-answers.json');
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
