// Theme behaviour that axe does not check: focus is visible and never hidden under the
// sticky exit link, the print stylesheet makes a clean handout, the helpline box shows
// the page's language, and the page reads fine with JavaScript off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, urlOf } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function open(sitePath, options = {}) {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, ...options });
  const page = await context.newPage();
  await page.goto(urlOf(sitePath));
  return { context, page };
}

for (const sitePath of ['/guides/dead-drops/', '/ko/guides/warning-signs/']) {
  test(`keyboard focus is visible and not hidden by the sticky exit link: ${sitePath}`, async () => {
    const { context, page } = await open(sitePath);
    const problems = [];
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const r = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return { done: true };
        const s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        const exit = document.querySelector('#qe-link').getBoundingClientRect();
        const overlap =
          el.id !== 'qe-link' &&
          box.left < exit.right && box.right > exit.left && box.top < exit.bottom && box.bottom > exit.top;
        return {
          done: false,
          what: `${el.tagName.toLowerCase()} "${(el.textContent || '').trim().slice(0, 40)}"`,
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
          overlap,
          inView: box.bottom > 0 && box.top < window.innerHeight,
        };
      });
      if (r.done) break;
      if (!r.outline) problems.push(`${r.what}: no visible focus outline`);
      if (r.overlap) problems.push(`${r.what}: under the exit link`);
      if (!r.inView) problems.push(`${r.what}: focused but out of view`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('print stylesheet: no navigation, link addresses printed, headings kept with text', async () => {
  const { context, page } = await open('/guides/dead-drops/', { viewport: { width: 800, height: 1000 } });
  await page.emulateMedia({ media: 'print' });
  const r = await page.evaluate(() => {
    const shown = (sel) => [...document.querySelectorAll(sel)].some((e) => getComputedStyle(e).display !== 'none');
    const ext = document.querySelector('.body a[href^="http"], .sources a[href^="http"]');
    return {
      exit: shown('.exit'),
      langs: shown('.langs'),
      crumbs: shown('.crumbs'),
      toc: shown('.toc'),
      footer: shown('.site-footer'),
      help: shown('.help'),
      after: ext ? getComputedStyle(ext, '::after').content : null,
      href: ext ? ext.getAttribute('href') : null,
      h2: getComputedStyle(document.querySelector('.body h2')).breakAfter,
    };
  });
  assert.deepEqual(
    { exit: r.exit, langs: r.langs, crumbs: r.crumbs, toc: r.toc, footer: r.footer, help: r.help },
    { exit: false, langs: false, crumbs: false, toc: false, footer: false, help: true },
  );
  assert.ok(r.href, 'the page has an external link');
  assert.ok(r.after.includes(r.href), `::after is ${r.after}`);
  assert.equal(r.h2, 'avoid');
  await context.close();
});

test('helpline box: Korean names on Korean pages, English on English ones, tel: links', async () => {
  for (const [sitePath, name] of [
    ['/', /Drug counselling line/],
    ['/ko/', /마약류 상담전화/],
    ['/ko/guides/dead-drops/', /마약류 상담전화/],
  ]) {
    const { context, page } = await open(sitePath);
    const help = page.locator('aside.help');
    assert.equal(await help.count(), 1, sitePath);
    assert.match(await help.textContent(), name, sitePath);
    const tel = await help.locator('a[href^="tel:"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(tel.includes('tel:1342'), `${sitePath}: ${tel}`);
    await context.close();
  }
});

test('everything is readable with JavaScript off', async () => {
  const { context, page } = await open('/ko/guides/dead-drops/', { javaScriptEnabled: false });
  assert.ok(await page.locator('h1').isVisible());
  assert.ok(await page.locator('.body').isVisible());
  assert.ok(await page.locator('#qe-link').isVisible());
  assert.ok(await page.locator('aside.help').isVisible());
  await context.close();
});
