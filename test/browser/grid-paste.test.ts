/// <reference lib="dom" />
/**
 * Pasting a block of cells copied from a spreadsheet into the data entry grid, in Chromium (the grid's paste
 * script, dashboards/assets/grid-paste.js): rows go to the following periods, cells to the following groups,
 * a decimal comma is read as a point, quoted cells (a line break or a quote inside) stay one cell, cells beyond
 * the grid are left out and counted, and nothing is saved
 * until Save. The page's own Content-Security-Policy stays on: the script is a file served from /assets.
 */
import type { Page } from 'playwright-core';
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';
import { chromiumInstalled, launchChromium } from './chromium.ts';

/** Dispatches a paste of `text` on the focused element, as the browser does for Ctrl+V. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

if (chromiumInstalled(t)) {
  t.setTimeout(300_000);
  const api = await buildTestApp(t);
  const { initiative, indicator } = await createFixture(api, {
    name: 'Employment rate of residents',
    unit: 'percent',
    polarity: 'higher_is_better',
    frequency: 'quarterly',
    decimals: 1,
    dimensions: [{ name: 'sex', values: ['female', 'male'] }],
  });
  const id = indicator.id as string;
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${id}/data-points`,
    payload: {
      points: ['2024-Q1', '2024-Q2', '2024-Q3'].flatMap((period) => [
        { period, value: 50 },
        { period, value: 50, disaggregation: { sex: 'female' } },
        { period, value: 50, disaggregation: { sex: 'male' } },
      ]),
    },
  });
  const invited = await api.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email: 'pat@example.org', role: 'editor', initiativeId: initiative.id },
  });
  if (invited.status !== 201) throw new Error(invited.raw);
  const origin = await api.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchChromium(t);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto(`${origin}${new URL(invited.body.url as string).pathname}`);
  await page.getByLabel('Name', { exact: true }).fill('Pat Lindqvist');
  await page.getByLabel('Password', { exact: true }).fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${origin}/app`);

  const cell = (period: string, group?: string) =>
    page.getByLabel(group ? `Value for ${period}, sex: ${group}` : `Value for ${period}`, { exact: true });
  const values = (period: string) =>
    Promise.all([cell(period).inputValue(), cell(period, 'female').inputValue(), cell(period, 'male').inputValue()]);

  t.test('a block fills the grid from the cell pasted into; Save writes it', async (t) => {
    await page.goto(`${origin}/app/indicators/${id}/data`);
    t.match(
      await page.locator('main').textContent(),
      /You can paste a block of cells copied from a spreadsheet: click the first cell, then paste\./,
      'the hint under the grid',
    );
    const script = await page.locator('script[src]').getAttribute('src');
    t.match(script, /^\/assets\/grid-paste-[\w-]+\.js$/, 'the script is served from this server');
    t.equal(await page.locator('script[src]').getAttribute('defer'), '', 'deferred');

    // Count input events (whatever marks changed cells listens to them).
    await page.evaluate(() => {
      const w = window as unknown as { inputs: string[] };
      w.inputs = [];
      document.addEventListener('input', (e) => w.inputs.push((e.target as HTMLInputElement).name));
    });
    await cell('2024-Q1').focus();
    await paste(page, '1\t2\t3\r\n4,5\t5\t6\r\n');
    t.same(await values('2024-Q1'), ['1', '2', '3'], 'the first row: total, female, male');
    t.same(await values('2024-Q2'), ['4.5', '5', '6'], 'the second row, the decimal comma read as a point');
    t.same(await values('2024-Q3'), ['50', '50', '50'], 'the row after the block is untouched');
    t.same(
      await page.evaluate(() => (window as unknown as { inputs: string[] }).inputs),
      ['v.0.0', 'v.0.1', 'v.0.2', 'v.1.0', 'v.1.1', 'v.1.2'],
      'each filled input fired an input event',
    );
    await page.waitForFunction(() => document.getElementById('paste-status')?.textContent !== '');
    t.equal(
      await page.locator('#paste-status').textContent(),
      'Pasted 6 values. Nothing is saved until you press Save.',
      'the live region says what was pasted',
    );
    t.equal(await page.locator('#paste-status').getAttribute('aria-live'), 'polite');

    const before = await api.request({ method: 'GET', url: `/api/v1/indicators/${id}/data-points?slice=all` });
    const stored = before.body.items as Array<{ value: number }>;
    t.ok(stored.length === 9 && stored.every((p) => p.value === 50), 'nothing is saved before Save');

    await page.getByRole('button', { name: 'Save' }).click();
    t.match(await page.getByRole('status').textContent(), /Saved 6 values/);
    const points = (await api.request({ method: 'GET', url: `/api/v1/indicators/${id}/data-points?slice=all` })).body
      .items as Array<{ period: string; value: number; disaggregation: Record<string, string> }>;
    t.same(
      points
        .map((p) => [p.period, p.disaggregation.sex ?? 'total', p.value])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))),
      [
        ['2024-Q1', 'female', 2],
        ['2024-Q1', 'male', 3],
        ['2024-Q1', 'total', 1],
        ['2024-Q2', 'female', 5],
        ['2024-Q2', 'male', 6],
        ['2024-Q2', 'total', 4.5],
        ['2024-Q3', 'female', 50],
        ['2024-Q3', 'male', 50],
        ['2024-Q3', 'total', 50],
      ],
      'the API answers the pasted values in their places',
    );
  });

  t.test('cells beyond the grid are left out and counted; text is left for the server to report', async (t) => {
    await page.goto(`${origin}/app/indicators/${id}/data`);
    await cell('2024-Q3', 'female').focus();
    // Two rows of three cells from the female column of the last row: the male cell fits, the rest is beyond.
    await paste(page, ' 7 \t1,234.5\tx\n8\t9\t10');
    t.same(await values('2024-Q3'), ['50', '7', '1,234.5'], 'trimmed; a comma beside a dot is left as typed');
    await page.waitForFunction(() => document.getElementById('paste-status')?.textContent !== '');
    t.equal(
      await page.locator('#paste-status').textContent(),
      'Pasted 2 values. Nothing is saved until you press Save. 4 pasted cells were beyond the grid and were left out.',
    );
    await page.getByRole('button', { name: 'Save' }).click();
    t.match(await page.getByRole('alert').textContent(), /Value for 2024-Q3, sex: male: Enter a number/);
    t.equal(await cell('2024-Q3', 'male').inputValue(), '1,234.5', 'what was pasted stays in the form');

    // A single value is pasted as the browser pastes it.
    await page.goto(`${origin}/app/indicators/${id}/data`);
    await cell('2024-Q3').fill('');
    await cell('2024-Q3').focus();
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/plain', '12,5');
      const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      document.activeElement!.dispatchEvent(event);
      (window as unknown as { prevented: boolean }).prevented = event.defaultPrevented;
    });
    t.equal(
      await page.evaluate(() => (window as unknown as { prevented: boolean }).prevented),
      false,
      'a single value is not intercepted',
    );
    t.equal(await page.locator('#paste-status').textContent(), '', 'and nothing is announced');
  });

  t.test('a quoted cell as spreadsheets copy it (a line break or a quote inside) stays one cell', async (t) => {
    await page.goto(`${origin}/app/indicators/${id}/data`);
    await cell('2024-Q1').focus();
    // A cell holding a line break comes in quotes: it must not start a new row and shift what follows.
    await paste(page, '1\t"2\n(est.)"\t"3"""\r\n4\t5\t6\r\n');
    const [total, female, male] = await values('2024-Q1');
    t.equal(total, '1');
    t.equal(female.replace(/\s/g, ''), '2(est.)', 'the quoted cell, in its own input (the input drops the break)');
    t.equal(male, '3"', 'a doubled quote is one quote');
    t.same(await values('2024-Q2'), ['4', '5', '6'], 'the second row stays the second row');
    t.same(await values('2024-Q3'), ['50', '50', '50'], 'nothing spills into the third');
  });

  t.test('without JavaScript the grid still saves what is typed', async (t) => {
    const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
    t.teardown(() => noScript.close());
    const plain = await noScript.newPage();
    await plain.goto(`${origin}/app/indicators/${id}/data`);
    await plain.getByLabel('Value for 2024-Q3', { exact: true }).fill('42');
    await plain.getByRole('button', { name: 'Save' }).click();
    t.match(await plain.getByRole('status').textContent(), /Saved 1 value/);
  });

  t.test('no script errors', async (t) => {
    t.same(errors, []);
  });
}
