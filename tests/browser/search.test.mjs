// The search page in Chromium at 320 px: a Korean query with a particle typed into the
// search box finds the expected guide first, the results are announced in a live region,
// axe finds nothing, no request leaves the site, and the same works from file://.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { launch, urlOf, describeViolations, SITE_DIR, BASE_URL } from './lib.mjs';

const QUERY = '던지기를';
const EXPECT = '/ko/guides/dead-drops/';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function searchAt(start, own) {
  const context = await browser.newContext({ viewport: { width: 320, height: 800 }, serviceWorkers: 'block' });
  const foreign = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (own(url)) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(start, { waitUntil: 'load' });
  await page.fill('#search-q', QUERY);
  await page.waitForSelector('#search-results li a', { timeout: 10000 });
  const first = await page.$eval('#search-results li a', (a) => a.href);
  const status = await page.$eval('#search-status', (s) => ({ text: s.textContent, live: s.getAttribute('aria-live') }));
  const mark = await page.$$eval('#search-results mark', (m) => m.length);
  const hash = await page.evaluate(() => location.hash);
  const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  await context.close();
  return { first, status, mark, hash, axe, width, foreign, errors };
}

function check(r) {
  assert.deepEqual(r.errors, []);
  assert.ok(decodeURIComponent(new URL(r.first).pathname).includes(EXPECT), `first result ${r.first}`);
  assert.equal(r.status.live, 'polite');
  assert.match(r.status.text, /1|2|3|4|5|6|7|8|9/);
  assert.ok(r.mark > 0, 'the match is highlighted');
  assert.equal(decodeURIComponent(r.hash), `#q=${QUERY}`, 'the query lives in the fragment');
  assert.deepEqual(r.axe.violations, [], describeViolations(r.axe.violations));
  assert.ok(r.width <= 320, `no horizontal scroll at 320 px (${r.width})`);
  assert.deepEqual(r.foreign, [], 'no request to another host');
}

test('Korean query with a particle, served', async () => {
  check(await searchAt(urlOf('/ko/search/'), (u) => u.startsWith(BASE_URL)));
});

test('Korean query with a particle, from file://', async () => {
  const start = pathToFileURL(path.join(SITE_DIR, 'ko', 'search', 'index.html')).href;
  check(await searchAt(start, (u) => u.startsWith('file:')));
});

test('the header box moves the words into the fragment of the search page', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
  const page = await context.newPage();
  await page.goto(urlOf('/ko/'), { waitUntil: 'load' });
  await page.fill('#site-search', QUERY);
  await page.press('#site-search', 'Enter');
  await page.waitForSelector('#search-results li a', { timeout: 10000 });
  const url = new URL(page.url());
  assert.equal(url.search, '', 'nothing in the query string');
  assert.equal(decodeURIComponent(url.hash), `#q=${QUERY}`);
  await context.close();
});
