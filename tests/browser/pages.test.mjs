// Every built page, at 320px (phone, dark mode) and 1280px (desktop, light mode):
// axe finds no WCAG 2.2 A/AA violations, nothing is requested from another host, HTML +
// CSS + JS weigh at most 40 KB, nothing scrolls sideways at 320px, the console stays
// clean (a CSP violation logs an error), and headings form an outline. Pages with
// images also have their images weighed (every image loaded, lazy ones included),
// against `[images] page_budget_kb` of the site's lantern.toml.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import { launch, sitePages, urlOf, describeViolations } from './lib.mjs';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WEIGHT_LIMIT = 40 * 1024;
/** `[images] page_budget_kb` from the site's lantern.toml (LANTERN_CONFIG, else the
 *  bundled site's), 400 KiB when unset, as in Lantern. */
function imageBudget() {
  const file = process.env.LANTERN_CONFIG || new URL('../../lantern.toml', import.meta.url);
  const toml = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const table = toml.split(/^\[/m).find((t) => t.startsWith('images]')) || '';
  const m = table.match(/^page_budget_kb\s*=\s*(\d+)/m);
  return (m ? Number(m[1]) : 400) * 1024;
}
const IMAGE_LIMIT = imageBudget();
const NARROW = { width: 320, height: 640, colorScheme: 'dark' };
const WIDE = { width: 1280, height: 900, colorScheme: 'light' };
const pages = sitePages();
const BOOKLET = /\/print\/$/;
/** Booklet path -> how many pages it holds (the pages under its section). */
const booklets = new Map(
  pages
    .filter((p) => BOOKLET.test(p))
    .map((b) => {
      const section = b.replace(BOOKLET, '/');
      return [b, pages.filter((p) => p.startsWith(section) && p !== section && !BOOKLET.test(p) && p.split('/').length === section.split('/').length + 1).length];
    }),
);

let browser;
let visits;
const weights = [];

before(async () => {
  browser = await launch();
  // Two workers (the machine has two cores), each with its own context. A page is
  // loaded once at 320px in dark mode, checked, then widened to 1280px in light mode
  // and checked again. The test server sends `no-store`, so every page load downloads
  // the CSS and JS again and is weighed in full.
  visits = new Map(pages.map((p) => [p, {}]));
  for (const v of visits.values()) v.done = new Promise((r) => (v.resolve = r));
  let next = 0;
  const run = async () => {
    const context = await browser.newContext({ viewport: { width: NARROW.width, height: NARROW.height }, colorScheme: NARROW.colorScheme, serviceWorkers: 'block' });
    while (next < pages.length) {
      const p = pages[next++];
      const v = visits.get(p);
      v.result = await visit(context, p).catch((error) => ({ error }));
      v.resolve();
    }
    await context.close();
  };
  Promise.all([run(), run()]).catch(() => {});
});

after(async () => {
  await browser?.close();
});

const AXE_OPTIONS = { resultTypes: ['violations'] };

/** Runs axe in the page. Legacy mode runs it in the page itself (no extra blank page
 *  per run): the site has no iframes, and it is about twice as fast. */
function axe(page) {
  return new AxeBuilder({ page }).options(AXE_OPTIONS).withTags(AXE_TAGS).setLegacyMode(true).analyze();
}

function layout(page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => ({
      level: Number(h.tagName[1]),
      text: h.textContent.trim().slice(0, 60),
    })),
  }));
}

async function visit(context, sitePath) {
  const page = await context.newPage();
  const requests = [];
  const bodies = [];
  const images = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => {
    const type = r.request().resourceType();
    if (type === 'image' && !r.url().startsWith('data:')) {
      images.push(
        r
          .body()
          .then((b) => ({ url: r.url(), type, bytes: b.length }))
          .catch(() => ({ url: r.url(), type, bytes: 0 })),
      );
    }
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
    if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    const response = await page.goto(urlOf(sitePath), { waitUntil: 'load' });
    const narrow = { axe: await axe(page), info: await layout(page) };
    await page.setViewportSize({ width: WIDE.width, height: WIDE.height });
    await page.emulateMedia({ colorScheme: WIDE.colorScheme });
    const wide = { axe: await axe(page), info: await layout(page) };
    // Lazy images below the fold count too: a reader who scrolls downloads them.
    const imageCount = await page.evaluate(() =>
      Promise.all(
        [...document.images].map((i) => {
          i.loading = 'eager';
          return i.decode().catch(() => {});
        }),
      ).then((all) => all.length),
    );
    const files = await Promise.all(bodies);
    const imageFiles = await Promise.all(images);
    return { status: response.status(), narrow, wide, requests, files, imageCount, imageFiles, errors };
  } finally {
    await page.close();
  }
}

for (const sitePath of pages) {
  describe(sitePath, () => {
    let r;
    let narrow;
    let wide;
    before(async () => {
      const v = visits.get(sitePath);
      await v.done;
      r = v.result;
      if (r.error) throw r.error;
      ({ narrow, wide } = r);
    });

    test('loads', () => {
      assert.equal(r.status, 200);
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
      const foreign = r.requests.filter((u) => {
        const url = new URL(u);
        return url.protocol !== 'data:' && url.hostname !== '127.0.0.1';
      });
      assert.deepEqual(foreign, []);
    });

    test('HTML + CSS + JS weigh at most 40 KB', () => {
      const total = r.files.reduce((n, f) => n + f.bytes, 0);
      weights.push({ sitePath, total, files: r.files });
      assert.ok(total > 0, 'nothing was measured');
      // A section's print booklet (/guides/print/) is every guide of the section on one
      // page, opened only to print: it may weigh 40 KB per guide it holds.
      const limit = BOOKLET.test(sitePath) ? WEIGHT_LIMIT * Math.max(1, booklets.get(sitePath) || 1) : WEIGHT_LIMIT;
      assert.ok(
        total <= limit,
        `${total} bytes > ${limit}: ${r.files.map((f) => `${f.url} ${f.bytes}`).join(', ')}`,
      );
    });

    test('images weigh at most the budget (pages with images)', (t) => {
      if (r.imageCount === 0) return t.skip('no images on this page');
      assert.ok(r.imageFiles.length > 0, `${r.imageCount} images, none downloaded`);
      const total = r.imageFiles.reduce((n, f) => n + f.bytes, 0);
      assert.ok(
        total <= IMAGE_LIMIT,
        `images: ${total} bytes > ${IMAGE_LIMIT}: ${r.imageFiles.map((f) => `${f.url} ${f.bytes}`).join(', ')}`,
      );
    });

    test('no horizontal scrolling at 320px', () => {
      assert.ok(narrow.info.scrollWidth <= 320, `scrollWidth is ${narrow.info.scrollWidth}px`);
    });

    test('no console errors (CSP violations, missing files, script errors)', () => {
      assert.deepEqual([...new Set(r.errors)], []);
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
  for (const w of sorted.slice(0, 8)) {
    t.diagnostic(`${w.sitePath}: ${w.total} bytes (${w.files.map((f) => `${f.type} ${f.bytes}`).join(' + ')})`);
  }
  assert.ok(sorted.length === pages.length, 'every page was weighed');
});
