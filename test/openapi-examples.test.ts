/**
 * The answer examples of the OpenAPI document (schema/contracts/example-answers.json) are what this server
 * answers: the story they tell is replayed over HTTP and every answer is compared with its example, ids and
 * timestamps aside. When an engine or contract change alters an answer, `npm run examples` rewrites the file;
 * its diff is the change a client sees.
 */
import t from './helpers/tap.ts';
import {
  IMPORT_REPORT_EXAMPLE,
  INDICATOR_ANALYSIS_EXAMPLE,
  INDICATOR_EXAMPLE,
  UPSERT_SUMMARY_EXAMPLE,
} from '../schema/contracts/examples.ts';
import { buildTestApp } from './helpers/test-app.ts';
import { normalize, playExampleStory } from './openapi-examples/story.ts';

t.test('the examples are the answers of the story they tell', async (t) => {
  const api = await buildTestApp(t);
  const answers = await playExampleStory(api);
  const ids = new Map<string, string>();
  const compare = (answer: unknown, expected: unknown, name: string) =>
    t.same(normalize(answer, ids), expected, `${name} (npm run examples rewrites the example)`);
  compare(answers.indicator, INDICATOR_EXAMPLE, 'POST /results/{resultId}/indicators answers INDICATOR_EXAMPLE');
  compare(
    answers.upsertSummary,
    UPSERT_SUMMARY_EXAMPLE,
    'PUT /indicators/{indicatorId}/data-points answers UPSERT_SUMMARY_EXAMPLE',
  );
  compare(
    answers.analysis,
    INDICATOR_ANALYSIS_EXAMPLE,
    'GET /indicators/{indicatorId}/analysis answers the analysis example',
  );
  compare(answers.importReport, IMPORT_REPORT_EXAMPLE, 'the CSV import answers IMPORT_REPORT_EXAMPLE');
  compare(answers.listed, [INDICATOR_EXAMPLE], 'the list holds the indicator of the example');
});
