/**
 * Data quality in the workspace, over HTTP as a browser without JavaScript uses it: the grid shows a refused
 * save's rule errors and warnings next to their cells and keeps what was typed; a warning is acknowledged with
 * "I checked this value" and a Comment; recorded warnings are listed after saving; flags are shown on the
 * indicator and history pages and acknowledged later there (PATCH with If-Match, CSRF-protected); the result's
 * data-quality page; the import check's warnings and old → new values.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';
import { FormSession, gridFields } from './browser-session.ts';

const api = await buildTestApp(t);
const { initiative, result, indicator } = await createFixture(api, {
  name: 'Employment rate',
  unit: 'percent',
  polarity: 'higher_is_better',
  frequency: 'quarterly',
  dimensions: [{ name: 'sex', values: ['female', 'male'] }],
  rules: [
    { code: 'at_most_90', kind: 'range', severity: 'error', max: 90, description: 'no district is above 90 %' },
    { code: 'usually_below_70', kind: 'range', severity: 'warning', max: 70 },
  ],
});
const put = await api.request({
  method: 'PUT',
  url: `/api/v1/indicators/${indicator.id}/data-points`,
  payload: {
    points: [
      { period: '2024-Q1', value: 61 },
      { period: '2024-Q2', value: 62 },
    ],
  },
});
if (put.status !== 200) throw new Error(put.raw);

async function signUp(email: string, role: string): Promise<FormSession> {
  const invited = await api.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email, role, initiativeId: initiative.id },
  });
  const session = new FormSession(api.app);
  const invitation = new URL(invited.body.url as string).pathname;
  await session.get(invitation);
  const created = await session.post(invitation, {
    displayName: email.split('@')[0]!,
    password: 'correct horse battery',
  });
  if (created.status !== 303) throw new Error(created.html);
  return session;
}
const editor = await signUp('quality@example.org', 'editor');

const setWarnings = (warnings: 'block' | 'record') =>
  api.request({
    method: 'PATCH',
    url: `/api/v1/initiatives/${initiative.id}`,
    payload: { quality: { warnings } },
  });
const points = async () =>
  (await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points?slice=all` })).body
    .items as Array<{
    id: string;
    period: string;
    value: number;
    version: number;
    disaggregation: Record<string, string>;
    flags: Array<{ code: string; acknowledged: boolean; comment: string | null }>;
  }>;
const gridUrl = `/app/indicators/${indicator.id}/data`;

t.test('a broken error rule: shown next to its cell, what was typed kept, nothing written', async (t) => {
  const grid = await editor.get(gridUrl);
  const refused = await editor.post(gridUrl, { ...gridFields(grid.html), 'v.0.0': '95', action: 'save' });
  t.equal(refused.status, 422);
  t.match(refused.html, /<div class="problem" role="alert"/);
  t.match(refused.html, /<a href="#c-0-0">Value for 2024-Q1: 95 is above the maximum 90/, 'the summary links to it');
  t.match(
    refused.html,
    /<span class="field-error" id="c-0-0-error">95 is above the maximum 90 \(rule at_most_90: no district is above 90 %\)<\/span><input type="text" inputmode="decimal" id="c-0-0" name="v.0.0" value="95" aria-label="Value for 2024-Q1" aria-invalid="true" aria-describedby="c-0-0-error">/,
    'the message is tied to the cell, which keeps the typed value',
  );
  t.same(
    (await points()).map((p) => p.value),
    [61, 62],
    'nothing written',
  );
});

t.test('a blocked warning: acknowledged with "I checked this value" and a Comment, then saved', async (t) => {
  t.equal((await setWarnings('block')).status, 200);
  const grid = await editor.get(gridUrl);
  const added = await editor.post(gridUrl, { ...gridFields(grid.html), action: 'add' });
  // Row 2 is 2024-Q3: total, female, male.
  const refused = await editor.post(gridUrl, {
    ...gridFields(added.html),
    'v.2.0': '75',
    'v.2.1': '64',
    action: 'save',
  });
  t.equal(refused.status, 422);
  t.match(refused.html, /Nothing was saved: 1 value has a warning/);
  t.match(refused.html, /<a href="#c-2-0-ack">Value for 2024-Q3: 75 is above the maximum 70/, 'summary → checkbox');
  t.match(
    refused.html,
    /id="c-2-0" name="v.2.0" value="75" aria-label="Value for 2024-Q3" aria-invalid="true" aria-describedby="c-2-0-warn"/,
  );
  t.match(refused.html, /<div class="warning" id="c-2-0-warn"><strong>Warning:<\/strong> 75 is above the maximum 70/);
  t.match(refused.html, /<legend class="visually-hidden">Acknowledge the warning on Value for 2024-Q3<\/legend>/);
  t.match(
    refused.html,
    /<input type="checkbox" id="c-2-0-ack" name="ack.2.0" value="1" aria-describedby="c-2-0-warn"><label for="c-2-0-ack">I checked this value<\/label>/,
  );
  t.match(refused.html, /<label for="c-2-0-comment">Comment<\/label>/);
  t.match(refused.html, /name="v.2.1" value="64"/, 'the other typed value is kept');
  t.equal((await points()).length, 2, 'nothing written');

  const noComment = await editor.post(gridUrl, { ...gridFields(refused.html), 'ack.2.0': '1', action: 'save' });
  t.equal(noComment.status, 422, 'ticked without a comment');
  t.match(noComment.html, /<a href="#c-2-0-comment">Value for 2024-Q3: Say in Comment why the value is right/);
  t.match(
    noComment.html,
    /id="c-2-0-comment" name="comment.2.0" value="" maxlength="2000" aria-describedby="c-2-0-comment-hint c-2-0-comment-error" aria-invalid="true"/,
  );
  t.match(noComment.html, /name="ack.2.0" value="1" checked/, 'the tick is kept');

  const saved = await editor.post(gridUrl, {
    ...gridFields(noComment.html),
    'ack.2.0': '1',
    'comment.2.0': 'A new factory opened in July.',
    action: 'save',
  });
  t.equal(saved.status, 303, saved.html);
  t.equal(saved.location, `${gridUrl}?saved=2&acknowledged=1`);
  t.match((await editor.get(saved.location!)).html, /Saved 2 values. 1 warning was acknowledged./);
  const q3 = (await points()).filter((p) => p.period === '2024-Q3');
  t.same(
    q3.map((p) => [p.disaggregation.sex ?? 'total', p.value, p.flags.map((f) => [f.code, f.acknowledged, f.comment])]),
    [
      ['female', 64, []],
      ['total', 75, [['usually_below_70', true, 'A new factory opened in July.']]],
    ],
    'saved with the acknowledged flag',
  );

  const changed = await editor.post(gridUrl, {
    ...gridFields(refused.html),
    'v.2.0': '68',
    'ack.2.0': '1',
    action: 'save',
  });
  t.not(changed.status, 303, 'a stale form is not saved over the value');
});

t.test('recorded warnings: listed after saving, acknowledged later from the grid', async (t) => {
  t.equal((await setWarnings('record')).status, 200);
  const grid = await editor.get(gridUrl);
  const saved = await editor.post(gridUrl, { ...gridFields(grid.html), 'v.1.0': '72', action: 'save' });
  t.equal(saved.status, 303);
  t.equal(saved.location, `${gridUrl}?saved=1&warnings=1`);
  const after = await editor.get(saved.location!);
  t.match(after.html, /Saved 1 value. 1 warning was recorded with the values/);
  t.match(after.html, /<h2 id="warnings-heading">Values to check<\/h2>/);
  t.match(after.html, /<a href="#c-1-0-ack">Value for 2024-Q2: 72 is above the maximum 70/);
  t.notMatch(after.html, /Value for 2024-Q3: 75 is above/, 'acknowledged flags are not listed to check');
  const acknowledged = await editor.post(gridUrl, {
    ...gridFields(after.html),
    'ack.1.0': '1',
    'comment.1.0': 'Checked against the survey tables.',
    action: 'save',
  });
  t.equal(acknowledged.status, 303);
  t.equal(acknowledged.location, `${gridUrl}?saved=0&acknowledged=1`);
  const q2 = (await points()).find((p) => p.period === '2024-Q2' && !p.disaggregation.sex)!;
  t.same(
    [q2.value, q2.flags.map((f) => [f.acknowledged, f.comment])],
    [72, [[true, 'Checked against the survey tables.']]],
  );
});

t.test('flags on the indicator page, acknowledged later there (If-Match, CSRF); history shows them', async (t) => {
  const saved = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [{ period: '2024-Q2', value: 71, disaggregation: { sex: 'male' } }] },
  });
  t.equal(saved.status, 200);
  const point = (await points()).find((p) => p.period === '2024-Q2' && p.disaggregation.sex === 'male')!;
  const url = `/app/indicators/${indicator.id}`;
  const page = await editor.get(url);
  t.equal(page.status, 200);
  t.match(page.html, new RegExp(`71 <a class="flag unverified" href="#flag-${point.id}">Unverified</a>`), 'marked');
  t.match(page.html, /75 <a class="flag checked" href="#flag-[\w-]+">Checked<\/a>/, 'an acknowledged one too');
  t.match(page.html, /<h2 id="flags-heading">Flagged values<\/h2>/);
  t.match(
    page.html,
    new RegExp(
      `<li id="flag-${point.id}"><strong>2024-Q2, sex: male: 71</strong><ul><li><span class="flag unverified">Unverified</span> 71 is above the maximum 70`,
    ),
  );
  t.match(
    page.html,
    /Checked<\/span> 75 is above the maximum 70 \(rule usually_below_70\) <span class="ack-comment">Comment: “A new factory opened in July.” \(quality@example.org\)<\/span>/,
  );
  t.match(page.html, /<legend class="visually-hidden">Acknowledge the warning on 2024-Q2, sex: male<\/legend>/);
  t.match(page.html, new RegExp(`href="/app/results/${result.id}/data-quality">Data quality</a>`));

  const form = { point: point.id, version: String(point.version), code: 'usually_below_70' };
  const forged = await editor.post(`${url}/flags`, { ...form, comment: 'x', _csrf: 'y'.repeat(43) });
  t.equal(forged.status, 403, 'without the CSRF token: refused');
  const empty = await editor.post(`${url}/flags`, { ...form, comment: '  ' });
  t.equal(empty.status, 422);
  t.match(
    empty.html,
    /<span class="field-error" id="ack-[\w-]+-0-error">Say in Comment why the value is right.<\/span><input type="text" id="ack-[\w-]+-0" name="comment" value="" maxlength="2000" aria-describedby="ack-[\w-]+-0-hint ack-[\w-]+-0-error" aria-invalid="true">/,
  );
  const stale = await editor.post(`${url}/flags`, { ...form, version: String(point.version + 5), comment: 'Looked.' });
  t.equal(stale.status, 409, 'a stale version is refused (If-Match)');
  t.match(stale.html, /This value was changed meanwhile/);
  t.match(stale.html, /value="Looked\."/, 'the comment is kept');
  const viewer = await signUp('quality-viewer@example.org', 'viewer');
  const seen = await viewer.get(url);
  t.match(seen.html, /71 <a class="flag unverified"/, 'a viewer sees the flag');
  t.notMatch(seen.html, /I checked this value/, 'but no form to acknowledge it');
  const refused = await viewer.post(`${url}/flags`, { ...form, comment: 'Sure.' });
  t.equal(refused.status, 403, 'and may not acknowledge it');

  const done = await editor.post(`${url}/flags`, { ...form, comment: 'The male series was re-weighted.' });
  t.equal(done.status, 303);
  t.equal(done.location, `${url}?acknowledged=1#flag-${point.id}`);
  const after = await editor.get(`${url}?acknowledged=1`);
  t.match(after.html, /<p class="notice" role="status">1 warning was acknowledged.<\/p>/);
  t.match(after.html, /71 <a class="flag checked"/);
  const stored = (await points()).find((p) => p.id === point.id)!;
  t.equal(stored.version, point.version + 1, 'a new version');
  t.same(
    stored.flags.map((f) => [f.acknowledged, f.comment]),
    [[true, 'The male series was re-weighted.']],
  );

  const history = await editor.get(`${url}/history`);
  t.match(history.html, /<th scope="col">Data-quality flags<\/th>/);
  t.match(
    history.html,
    /<span class="flag checked">Checked<\/span> 71 is above the maximum 70 \(rule usually_below_70\) Comment: “The male series was re-weighted.” \(quality@example.org\)/,
  );
  t.match(
    history.html,
    /<span class="flag unverified">Unverified<\/span> 71 is above/,
    'the earlier version was unverified',
  );
});

t.test("the result's data-quality page", async (t) => {
  const page = await editor.get(`/app/results/${result.id}/data-quality`);
  t.equal(page.status, 200);
  t.match(page.html, /<h1>Data quality: Fewer residents are unemployed<\/h1>/);
  t.match(page.html, /0 to look at, 3 checked, \d+ missing periods?\./);
  t.match(page.html, /<h2 id="quality-items">Rules and flags<\/h2><h3/);
  t.match(
    page.html,
    new RegExp(`<h3 id="dq-${indicator.id}"><a href="/app/indicators/${indicator.id}">Employment rate</a></h3>`),
  );
  t.match(
    page.html,
    /<tr><td>2024-Q3<\/td><td>Total<\/td><td>75 is above the maximum 70 \(rule usually_below_70\)<br><span class="hint">Warning: usually_below_70<\/span><\/td><td><span class="flag checked">Checked<\/span> Comment: “A new factory opened in July.”<\/td><\/tr>/,
  );
  t.match(page.html, /<h2 id="missing-heading">Missing periods<\/h2>/);
  t.match(
    (await editor.get(`/app/results/${result.id}`)).html,
    /href="\/app\/results\/[\w-]+\/data-quality">Data quality<\/a>/,
  );
});

t.test('the import check lists warnings and old → new values; blocked warnings wait for ACKNOWLEDGE', async (t) => {
  const url = `/app/indicators/${indicator.id}/import`;
  await editor.get(url);
  const checked = await editor.postFile(url, 'file', 'q.csv', 'period,value\n2024-Q1,61.5\n2024-Q4,77\n');
  t.equal(checked.status, 200, checked.html);
  t.match(checked.html, /<h2 id="warnings-heading">Values to check<\/h2><p class="hint">These values look unusual/);
  t.match(
    checked.html,
    /<tr><td class="num">3<\/td><td><code>usually_below_70<\/code><\/td><td>77 is above the maximum 70 \(rule usually_below_70\)<\/td><td><span class="flag unverified">Unverified<\/span><\/td><\/tr>/,
  );
  t.match(checked.html, /<h2 id="changes-heading">Values the file changes<\/h2>/);
  t.match(
    checked.html,
    /<tr><td class="num">2<\/td><td>2024-Q1<\/td><td>Total<\/td><td class="num">61<\/td><td class="num">61.5<\/td><\/tr>/,
    'old → new',
  );
  t.match(checked.html, /<button type="submit">Import<\/button>/, 'recorded warnings do not stop the import');

  t.equal((await setWarnings('block')).status, 200);
  const blocked = await editor.postFile(url, 'file', 'q.csv', 'period,value\n2024-Q1,61.5\n2024-Q4,77\n');
  t.equal(blocked.status, 422);
  t.match(blocked.html, /<p class="problem" role="alert">Nothing can be imported yet/);
  t.notMatch(blocked.html, /<button type="submit">Import<\/button>/, 'no Import button');
  const acknowledged = await editor.postFile(
    url,
    'file',
    'q.csv',
    'period,value,ACKNOWLEDGE,COMMENT\n2024-Q1,61.5,,\n2024-Q4,77,usually_below_70,Seasonal hiring.\n',
  );
  t.equal(acknowledged.status, 200, acknowledged.html);
  t.match(acknowledged.html, /<span class="flag checked">Acknowledged in the file<\/span>/);
  t.match(acknowledged.html, /<button type="submit">Import<\/button>/);
  const csv = /<input type="hidden" name="csv" value="([^"]*)"/.exec(acknowledged.html)![1]!.replaceAll('&#39;', "'");
  const done = await editor.post(`${url}/confirm`, { csv: csv.replaceAll('&quot;', '"').replaceAll('&amp;', '&') });
  t.equal(done.status, 200);
  t.match(done.html, /Imported: 1 new and 1 changed values./);
  t.notMatch(done.html, /marked Unverified/, 'no unverified value');
  t.equal((await setWarnings('record')).status, 200);
});

t.test("a flag form cannot reach another indicator's point", async (t) => {
  const other = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/indicators`,
    payload: { name: 'Median wage', unit: 'currency', polarity: 'higher_is_better', frequency: 'quarterly' },
  });
  t.equal(other.status, 201);
  const written = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${other.body.id}/data-points`,
    payload: { points: [{ period: '2024-Q1', value: 3100 }] },
  });
  const point = written.body.points[0] as { id: string; version: number };
  await editor.get(`/app/indicators/${indicator.id}`);
  const refused = await editor.post(`/app/indicators/${indicator.id}/flags`, {
    point: point.id,
    version: String(point.version),
    code: 'usually_below_70',
    comment: 'Not mine to check.',
  });
  t.equal(refused.status, 404, 'the point must belong to the indicator the person may write');
  const after = await api.request({ method: 'GET', url: `/api/v1/indicators/${other.body.id}/data-points` });
  t.equal(after.body.items[0].version, point.version, 'nothing written');
});
