/// <reference lib="dom" />
/**
 * The workspace in a real browser (Chromium via playwright-core), through the accessible names of the
 * contract (../shared design, docs/workspace.md): an invited person creates an account, signs in, browses to
 * an indicator, enters a quarter's values including one group, saves, sees them in the API and the public
 * embed, imports a CSV file with one bad row (sees the error, fixes it, imports) and signs out. Data quality: a
 * value breaking a rule and a warning to acknowledge (I checked this value, Comment) in the grid, a recorded
 * flag acknowledged on the indicator page, the result's data-quality page, the import check's warnings and
 * old → new values. Each page is checked with axe-core (no serious or critical WCAG 2.2 A/AA violation) at
 * phone (390 px) and desktop width; the data-quality pages also by geometry (page-geometry.ts: no overlapping
 * text, nothing off screen, no page wider than the phone).
 * Set `SCREENSHOTS=<folder>` to keep a PNG of each page at both widths (docs/img holds the ones of
 * docs/workspace.md).
 */
import type { Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Test } from 'tap';
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';
import { chromiumInstalled, launchChromium } from './chromium.ts';
import { readabilityFaults } from './page-geometry.ts';

const SCREENSHOTS = process.env.SCREENSHOTS;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

if (chromiumInstalled(t)) {
  t.setTimeout(600_000);
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const api = await buildTestApp(t);
  const { initiative, result, indicator } = await createFixture(api, {
    name: 'Employment rate of residents',
    unit: 'percent',
    polarity: 'higher_is_better',
    frequency: 'quarterly',
    decimals: 1,
    dimensions: [{ name: 'sex', values: ['female', 'male'] }],
    reportingLag: { amount: 3, unit: 'months' },
  });
  await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  const history = [
    '2022-Q1',
    '2022-Q2',
    '2022-Q3',
    '2022-Q4',
    '2023-Q1',
    '2023-Q2',
    '2023-Q3',
    '2023-Q4',
    '2024-Q1',
    '2024-Q2',
  ];
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: {
      points: history.map((period, i) => ({ period, value: Math.round((60 + i * 0.4 + (i % 3) * 0.3) * 10) / 10 })),
    },
  });
  const invited = await api.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email: 'dana@example.org', role: 'editor', initiativeId: initiative.id },
  });
  if (invited.status !== 201) throw new Error(invited.raw);
  const origin = await api.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchChromium(t);
  if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

  /** axe-core at desktop and phone width (and screenshots when asked); the page is left at desktop width. */
  async function check(t: Test, page: Page, name: string, geometry = false): Promise<void> {
    // The grid's paste script (served from /assets) only enhances; test/browser/grid-paste.test.ts drives it.
    const scripts = await page.evaluate(
      () => document.querySelectorAll('script:not([src^="/assets/grid-paste-"][defer])').length,
    );
    t.equal(scripts, 0, `${name}: no JavaScript on the page (but the grid's paste enhancement)`);
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async (tags) => {
        const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<any> } }).axe;
        const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
        return (
          result.violations as Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }>
        )
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.impact} ${v.id}: ${v.help} (${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))})`);
      }, AXE_TAGS);
      t.same(violations, [], `${name} at ${viewport.width} px: no serious or critical axe-core violation`);
      if (geometry) {
        const faults = await page.evaluate(readabilityFaults);
        // Tables scroll sideways inside their own region on phones: their hidden columns are not off screen.
        const scrolled = await page.evaluate(() =>
          Array.from(document.querySelectorAll('.table-wrap'))
            .filter((e) => e.scrollWidth > e.clientWidth)
            .map((e) => e.textContent ?? ''),
        );
        // The chart's texts scale with the SVG (the chart's own readability is test/browser/readability.test.ts').
        const chart = await page.evaluate(() =>
          Array.from(document.querySelectorAll('.chart svg text')).map((e) => (e.textContent ?? '').trim()),
        );
        const inScroller = (message: string) => {
          const text = /^"(.*?)…?" spans/.exec(message)?.[1];
          return text !== undefined && scrolled.some((content) => content.replace(/\s+/g, ' ').includes(text));
        };
        t.same(
          faults
            .filter((f) => !(f.kind === 'outside-screen' && inScroller(f.message)))
            .filter((f) => {
              const text = /^"(.*?)…?" /.exec(f.message)?.[1];
              return text === undefined || !chart.some((c) => c.startsWith(text));
            })
            .map((f) => `${f.kind}: ${f.message}`),
          [],
          `${name} at ${viewport.width} px: no overlapping, cut or off-screen text`,
        );
      }
      if (SCREENSHOTS)
        await page.screenshot({
          path: path.join(SCREENSHOTS, `workspace-${name}-${viewport.width === PHONE.width ? 'phone' : 'desktop'}.png`),
          fullPage: true,
          animations: 'disabled',
        });
    }
    await page.setViewportSize(DESKTOP);
  }

  t.test('invite → account → enter data → API and embed → import → sign out', async (t) => {
    // axe-core is injected as an inline script, which the pages' policy rightly refuses.
    const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    t.teardown(() => context.close());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    // The invitation link (as the API answered it, on this server's address).
    await page.goto(`${origin}${new URL(invited.body.url as string).pathname}`);
    await check(t, page, 'invitation');
    await page.getByLabel('Name', { exact: true }).fill('Dana Reyes');
    await page.getByLabel('Password', { exact: true }).fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${origin}/app`);
    t.match(await page.locator('header').textContent(), /Signed in as Dana Reyes \(editor\)/, 'signed in');

    // Sign out and in again through the sign-in page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/sign-in/);
    await check(t, page, 'sign-in');
    await page.getByLabel('Email').fill('dana@example.org');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    t.match(await page.getByRole('alert').textContent(), /email or password is not right/);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/app`);
    await check(t, page, 'initiatives');

    // Browse: initiative → result → indicator.
    await page.getByRole('link', { name: initiative.name as string }).click();
    await check(t, page, 'initiative');
    await page.getByRole('link', { name: result.statement as string }).click();
    await page.waitForURL(`${origin}/app/results/${result.id}`);
    await check(t, page, 'result');
    await page.getByRole('link', { name: 'Employment rate of residents' }).first().click();
    await page.waitForURL(`${origin}/app/indicators/${indicator.id}`);
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Employment rate of residents');
    t.ok((await page.locator('.chart svg').count()) === 1, 'the chart is drawn on the server');
    const snippet = await page.getByLabel('Embed code').inputValue();
    t.match(snippet, new RegExp(`<iframe[^>]+/embed/indicators/${indicator.id}`), 'the embed code');
    await check(t, page, 'indicator');

    // Enter a quarter, total and one group.
    await page.getByRole('link', { name: 'Enter data' }).click();
    await page.getByRole('button', { name: 'Add period' }).click();
    await page.getByLabel('Value for 2024-Q3', { exact: true }).fill('64.8');
    await page.getByLabel('Value for 2024-Q3, sex: female').fill('66.1');
    await check(t, page, 'data-entry');
    await page.getByRole('button', { name: 'Save' }).click();
    t.match(await page.getByRole('status').textContent(), /Saved 2 values/);
    const points = (
      await api.request({
        method: 'GET',
        url: `/api/v1/indicators/${indicator.id}/data-points?slice=all&from=2024-Q3`,
        as: null,
      })
    ).body.items as Array<{ value: number; disaggregation: Record<string, string>; updatedBy: string }>;
    t.same(
      points.map((p) => [p.value, p.disaggregation, p.updatedBy]),
      [
        [66.1, { sex: 'female' }, 'dana@example.org'],
        [64.8, {}, 'dana@example.org'],
      ],
      'the API answers the values, entered by the person',
    );
    const embed = await api.request({ method: 'GET', url: `/embed/indicators/${indicator.id}`, as: null });
    t.match(embed.raw, /2024-Q3/, 'the public embed shows the new quarter');
    t.match(embed.raw, /64\.8/);

    // Import a CSV file with a bad row, see the error, fix it, import.
    await page.goto(`${origin}/app/indicators/${indicator.id}`);
    await page.getByRole('link', { name: 'Import CSV' }).click();
    const file = (rows: string) => ({
      name: 'q4.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`period,value\n${rows}`),
    });
    await page.getByLabel('CSV file').setInputFiles(file('2024-Q4,65.2\n2025-Q1,sixty-five\n'));
    await page.getByRole('button', { name: 'Check file' }).click();
    const errorTable = await page.locator('table').last().textContent();
    t.match(errorTable, /3.*value/s, 'the bad row (row 3, column value) is named');
    t.equal(
      await page.getByRole('button', { name: 'Import' }).count(),
      0,
      'no Import button while the file has errors',
    );
    await check(t, page, 'import-errors');
    await page.getByLabel('CSV file').setInputFiles(file('2024-Q4,65.2\n2025-Q1,65.9\n'));
    await page.getByRole('button', { name: 'Check file' }).click();
    t.match(await page.locator('main').textContent(), /New values\s*2/);
    await check(t, page, 'import-check');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    t.match(await page.getByRole('status').textContent(), /Imported: 2 new and 0 changed values/);
    const imported = (
      await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-points?from=2024-Q4`, as: null })
    ).body.items as Array<{ period: string; value: number }>;
    t.same(
      imported.map((p) => [p.period, p.value]),
      [
        ['2024-Q4', 65.2],
        ['2025-Q1', 65.9],
      ],
    );

    await page.goto(`${origin}/app/indicators/${indicator.id}/history`);
    await check(t, page, 'history');

    // Review (docs/publication.md): submit a quarter from the indicator page, approve and publish it in the queue.
    await page.goto(`${origin}/app/indicators/${indicator.id}`);
    await page.getByLabel('Submit 2024-Q3').check();
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    t.match(await page.getByRole('status').textContent(), /1 period was submitted for review/);
    await page.getByRole('link', { name: 'Review', exact: true }).click();
    await page.waitForURL(`${origin}/app/review`);
    await check(t, page, 'review');
    await page.getByRole('button', { name: 'Approve' }).first().click();
    t.match(await page.getByRole('status').textContent(), /2024-Q3 is approved/);
    await page.getByRole('button', { name: 'Publish' }).first().click();
    t.match(await page.getByRole('status').textContent(), /2024-Q3 is published/);
    const states = (await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/publication` })).body
      .items as Array<{ period: string; state: string }>;
    t.match(
      states.find((s) => s.period === '2024-Q3'),
      { state: 'published' },
      'the quarter went through review',
    );

    // A personal API token, shown once.
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabel('Token name').fill('Spreadsheet upload');
    await page.getByRole('button', { name: 'Create token' }).click();
    t.match(await page.getByLabel('Your new token').inputValue(), /^rba_/);
    await check(t, page, 'tokens');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/sign-in/);
    t.match(await page.getByRole('status').textContent(), /signed out/);
    await page.goto(`${origin}/app/indicators/${indicator.id}`);
    t.match(page.url(), /\/app\/sign-in\?next=/, 'signed out: the pages ask to sign in');
    t.same(errors, [], 'no script errors');
  });

  t.test('data quality: a rule, a warning acknowledged in the grid and later, the data-quality page', async (t) => {
    const fixture = await createFixture(api, {
      name: 'Youth employment rate',
      unit: 'percent',
      polarity: 'higher_is_better',
      frequency: 'quarterly',
      decimals: 1,
      dimensions: [{ name: 'sex', values: ['female', 'male'] }],
      reportingLag: { amount: 3, unit: 'months' },
      rules: [
        { code: 'at_most_90', kind: 'range', severity: 'error', max: 90, description: 'no district is above 90 %' },
        { code: 'usually_below_70', kind: 'range', severity: 'warning', max: 70 },
      ],
    });
    const id = fixture.indicator.id as string;
    const quality = (warnings: 'block' | 'record') =>
      api.request({
        method: 'PATCH',
        url: `/api/v1/initiatives/${fixture.initiative.id}`,
        payload: { quality: { warnings } },
      });
    await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${id}/data-points`,
      payload: { points: history.map((period, i) => ({ period, value: 60 + (i % 4) * 0.5 })) },
    });
    t.equal((await quality('block')).status, 200);
    const invitedSam = await api.request({
      method: 'POST',
      url: '/api/v1/invitations',
      payload: { email: 'sam@example.org', role: 'editor', initiativeId: fixture.initiative.id },
    });
    const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    t.teardown(() => context.close());
    const page = await context.newPage();
    await page.goto(`${origin}${new URL(invitedSam.body.url as string).pathname}`);
    await page.getByLabel('Name', { exact: true }).fill('Sam Okafor');
    await page.getByLabel('Password', { exact: true }).fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${origin}/app`);

    // A value that breaks a rule: the message next to the cell, the typed values kept.
    await page.goto(`${origin}/app/indicators/${id}/data`);
    await page.getByRole('button', { name: 'Add period' }).click();
    await page.getByLabel('Value for 2024-Q3', { exact: true }).fill('95');
    await page.getByLabel('Value for 2024-Q3, sex: female').fill('64');
    await page.getByRole('button', { name: 'Save' }).click();
    t.match(await page.getByRole('alert').textContent(), /95 is above the maximum 90/);
    const cell = page.getByLabel('Value for 2024-Q3', { exact: true });
    t.equal(await cell.getAttribute('aria-invalid'), 'true');
    t.equal(await cell.inputValue(), '95', 'the typed value is kept');
    t.equal(await page.getByLabel('Value for 2024-Q3, sex: female').inputValue(), '64');
    await check(t, page, 'data-entry-rule', true);
    await page.getByRole('link', { name: /Value for 2024-Q3: 95 is above/ }).click();
    t.equal(await cell.evaluate((e) => e === document.activeElement), true, 'the summary link leads to the cell');

    // A warning this initiative blocks: tick "I checked this value", give a comment, save.
    await cell.fill('75');
    await page.getByRole('button', { name: 'Save' }).click();
    t.match(await page.getByRole('alert').textContent(), /Nothing was saved: 1 value has a warning/);
    await check(t, page, 'data-entry-warning', true);
    await page.getByLabel('I checked this value').check();
    await page.getByRole('button', { name: 'Save' }).click();
    t.match(await page.getByRole('alert').textContent(), /Say in Comment why the value is right/);
    t.ok(await page.getByLabel('I checked this value').isChecked(), 'the tick is kept');
    await page.getByLabel('Comment', { exact: true }).fill('A new factory opened in July.');
    await page.getByRole('button', { name: 'Save' }).click();
    t.match(await page.getByRole('status').textContent(), /Saved 2 values\. \d+ warnings? (was|were) acknowledged/);
    const q3 = (
      await api.request({ method: 'GET', url: `/api/v1/indicators/${id}/data-points?from=2024-Q3&to=2024-Q3` })
    ).body.items[0] as { value: number; flags: Array<{ acknowledged: boolean; comment: string }> };
    t.equal(q3.value, 75);
    t.ok(
      q3.flags.length > 0 && q3.flags.every((f) => f.acknowledged && f.comment === 'A new factory opened in July.'),
      'stored with its acknowledged flags',
    );

    // Recorded (not blocked): the flag is shown on the indicator page and acknowledged there later.
    t.equal((await quality('record')).status, 200);
    await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${id}/data-points`,
      payload: { points: [{ period: '2024-Q4', value: 72 }] },
    });
    await page.goto(`${origin}/app/indicators/${id}`);
    t.equal(await page.getByRole('link', { name: 'Unverified' }).count(), 1, 'the flagged value is marked');
    await check(t, page, 'indicator-flags', true);
    // One small form per warning of the value (here the rule and the outlier check).
    const forms = await page.getByRole('button', { name: 'I checked this value' }).count();
    t.ok(forms >= 1);
    for (let i = 0; i < forms; i++) {
      await page.getByLabel('Comment', { exact: true }).first().fill('Seasonal hiring, confirmed by the agency.');
      await page.getByRole('button', { name: 'I checked this value' }).first().click();
      t.match(await page.getByRole('status').textContent(), /1 warning was acknowledged/);
    }
    t.equal(await page.getByRole('link', { name: 'Unverified' }).count(), 0);
    t.match(await page.locator('#flags-heading + p + ul').textContent(), /Seasonal hiring, confirmed by the agency/);

    // The result's data-quality page.
    await page.getByRole('link', { name: 'Data quality' }).click();
    await page.waitForURL(`${origin}/app/results/${fixture.result.id}/data-quality`);
    t.match(await page.getByRole('heading', { level: 1 }).textContent(), /^Data quality: /);
    t.match(await page.locator('main').textContent(), /usually_below_70/);
    await check(t, page, 'data-quality', true);

    // The import check: warnings and old → new.
    await page.goto(`${origin}/app/indicators/${id}/import`);
    await page.getByLabel('CSV file').setInputFiles({
      name: 'fix.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('period,value\n2024-Q2,61.2\n2025-Q1,71\n'),
    });
    await page.getByRole('button', { name: 'Check file' }).click();
    t.match(await page.getByRole('region', { name: 'Values the file changes' }).textContent(), /2024-Q2.*61\.2/s);
    t.match(await page.getByRole('region', { name: 'Values to check' }).textContent(), /71 is above the maximum 70/);
    await check(t, page, 'import-warnings', true);
  });
}
