// Every built page, at 320px (phone, dark mode) and 1280px (desktop, light mode):
// axe finds no WCAG 2.2 A/AA violations, nothing is requested from another host, HTML +
// CSS + JS weigh at most 40 KB, nothing scrolls sideways at 320px, the console stays
// clean (a CSP violation logs an error), and headings form an outline.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { launch, sitePages, urlOf, pool, describeViolations } from './lib.mjs';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WEIGHT_LIMIT = 40 * 1024;
const NARROW = { width: 320, height: 640, colorScheme: 'dark' };
const WIDE = { width: 1280, height: 900, colorScheme: 'light' };
const pages = sitePages();

let browser;
let visits;
const weights = [];

before(async () => {
  browser = await launch();
  const jobs = pages.flatMap((p) => [
    [p, NARROW],
    [p, WIDE],
  ]);
  // Two pages at a time: the machine has two cores.
  const results = pool(jobs, 2, ([p, view]) => visit(p, view));
  visits = new Map();
  for (const [[p, view], promise] of results) {
    if (!visits.has(p)) visits.set(p, {});
    visits.get(p)[view.width] = promise;
  }
});

after(async () => {
  await browser?.close();
});

async function visit(sitePath, { width, height, colorScheme }) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, serviceWorkers: 'block' });
  const page = await context.newPage();
  const requests = [];
  const bodies = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => {
    const type = r.request().resourceType();
    if (type === 'document' || type === 'stylesheet' || type === 'script') {
      bodies.push(
        r
          .body()
          .then((b) => ({ url: r.url(), type, bytes: b.length }))
          .catch(() => ({ url: r.url(), type, bytes: 0 })),
      );
    }
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    const response = await page.goto(urlOf(sitePath), { waitUntil: 'load' });
    const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    const info = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => ({
        level: Number(h.tagName[1]),
        text: h.textContent.trim().slice(0, 60),
      })),
    }));
    const files = await Promise.all(bodies);
    return { status: response.status(), axe, info, requests, files, errors };
  } finally {
    await context.close();
  }
}

for (const sitePath of pages) {
  describe(sitePath, () => {
    let narrow;
    let wide;
    before(async () => {
      const v = visits.get(sitePath);
      [narrow, wide] = await Promise.all([v[NARROW.width], v[WIDE.width]]);
    });

    test('loads', () => {
      assert.equal(wide.status, 200);
    });

    test('no axe violations at 320px (dark mode)', () => {
      const v = narrow.axe.violations;
      assert.equal(v.length, 0, `axe violations at 320px:\n${describeViolations(v)}`);
    });

    test('no axe violations at 1280px (light mode)', () => {
      const v = wide.axe.violations;
      assert.equal(v.length, 0, `axe violations at 1280px:\n${describeViolations(v)}`);
    });

    test('requests nothing from any other host', () => {
      const foreign = [...narrow.requests, ...wide.requests].filter((u) => {
        const url = new URL(u);
        return url.protocol !== 'data:' && url.hostname !== '127.0.0.1';
      });
      assert.deepEqual(foreign, []);
    });

    test('HTML + CSS + JS weigh at most 40 KB', () => {
      const total = wide.files.reduce((n, f) => n + f.bytes, 0);
      weights.push({ sitePath, total, files: wide.files });
      assert.ok(total > 0, 'nothing was measured');
      assert.ok(
        total <= WEIGHT_LIMIT,
        `${total} bytes > ${WEIGHT_LIMIT}: ${wide.files.map((f) => `${f.url} ${f.bytes}`).join(', ')}`,
      );
    });

    test('no horizontal scrolling at 320px', () => {
      assert.ok(narrow.info.scrollWidth <= 320, `scrollWidth is ${narrow.info.scrollWidth}px`);
    });

    test('no console errors (CSP violations, missing files, script errors)', () => {
      assert.deepEqual([...new Set([...narrow.errors, ...wide.errors])], []);
    });

    test('one h1, first, and no skipped heading levels', () => {
      const h = wide.info.headings;
      assert.equal(h.filter((x) => x.level === 1).length, 1, `h1s: ${JSON.stringify(h)}`);
      assert.equal(h[0].level, 1, `first heading is h${h[0].level}`);
      for (let i = 1; i < h.length; i++) {
        assert.ok(
          h[i].level <= h[i - 1].level + 1,
          `h${h[i - 1].level} "${h[i - 1].text}" is followed by h${h[i].level} "${h[i].text}"`,
        );
      }
    });
  });
}

test('page weights (largest first)', (t) => {
  const sorted = [...weights].sort((a, b) => b.total - a.total);
  for (const w of sorted.slice(0, 5)) {
    t.diagnostic(`${w.sitePath}: ${w.total} bytes (${w.files.map((f) => `${f.type} ${f.bytes}`).join(' + ')})`);
  }
  assert.ok(sorted.length === pages.length, 'every page was weighed');
});
