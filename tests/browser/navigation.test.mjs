// Navigation and the new parts of pages: the header menu (a <details> disclosure on
// phones, always open on desktops) reached and used with the keyboard at 320px and
// 1280px with JavaScript on and off; the language switcher on every page; the home
// page's ways in; the "Get help" jump; the share button (JavaScript only); the
// generated statements; and the section booklet in print.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, sitePages, urlOf, BASE_URL } from './lib.mjs';

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

/** Presses Tab until `selector` has focus (at most `limit` times); returns how many. */
async function tabTo(page, selector, limit = 8) {
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
  }
  throw new Error(`${selector} never got focus in ${limit} Tab presses`);
}

const firstLink = '.menu li:first-child a';

for (const javaScriptEnabled of [true, false]) {
  const js = javaScriptEnabled ? 'JavaScript on' : 'JavaScript off';
  describe(`main menu, ${js}`, () => {
    test('at 320px: a closed disclosure that opens from the keyboard and leads to the guides', async () => {
      const { context, page } = await open('/ko/guides/dead-drops/', { javaScriptEnabled });
      assert.equal(await page.locator('.menu summary').isVisible(), true, 'the Menu button is shown');
      assert.equal(await page.locator(firstLink).isVisible(), false, 'links hidden until opened');
      await tabTo(page, '.menu summary');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator(firstLink).isVisible(), true, 'Enter opens the menu');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), await page.locator(firstLink).textContent());
      const box = await page.locator('.menu').boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 320, `menu fits: ${JSON.stringify(box)}`);
      await Promise.all([page.waitForURL(/\/ko\/guides\/(index\.html)?$/), page.keyboard.press('Enter')]);
      await context.close();
    });

    test('at 1280px: every link shown, no button, reached by Tab', async () => {
      const { context, page } = await open('/guides/dead-drops/', { javaScriptEnabled, viewport: { width: 1280, height: 900 } });
      assert.equal(await page.locator('.menu summary').isVisible(), false);
      const links = page.locator('.menu a');
      assert.ok((await links.count()) >= 3, 'at least Guides, Get help and About');
      for (let i = 0; i < (await links.count()); i++) assert.ok(await links.nth(i).isVisible(), `link ${i} visible`);
      await tabTo(page, firstLink);
      // The current section is marked for screen readers.
      assert.equal(await page.locator('.menu a[aria-current]').textContent(), 'Guides');
      await context.close();
    });
  });
}

test('the menu is in the reader\'s language and names Guides, Get help and About', async () => {
  for (const [sitePath, names] of [
    ['/', ['Guides', 'Getting help', 'About this site']],
    ['/ko/', ['안내', '도움 받기', '이 사이트 소개']],
  ]) {
    const { context, page } = await open(sitePath);
    const shown = await page.locator('.menu a').allTextContents();
    for (const n of names) assert.ok(shown.includes(n), `${sitePath}: ${n} in ${shown}`);
    await context.close();
  }
});

test('every page has the language switcher, linking to a page that exists', async () => {
  const pages = sitePages();
  const built = new Set(pages);
  const { context, page } = await open('/');
  const problems = [];
  for (const sitePath of pages) {
    await page.goto(urlOf(sitePath));
    const links = await page.locator('.langs a').evaluateAll((as) => as.map((a) => a.pathname));
    const current = await page.locator('.langs [aria-current]').count();
    if (links.length === 0 || current !== 1) problems.push(`${sitePath}: ${links.length} links, ${current} current`);
    for (const l of links) {
      // Portable links name folders as `…/index.html`; sitePages() lists them as `…/`.
      const p = decodeURI(l).replace(/\/index\.html$/, '/');
      if (!built.has(p) && !built.has(`${p}index.html`)) problems.push(`${sitePath}: links to missing ${p}`);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('home page: a help band, cards for the guides with summary and audience, ways in per audience', async () => {
  for (const [sitePath, audience] of [['/', 'parents'], ['/ko/', '부모']]) {
    const { context, page } = await open(sitePath);
    assert.equal(await page.locator('.band h2').count(), 1, `${sitePath}: help band`);
    assert.ok(await page.locator('.band a[href^="tel:"]').count() >= 1, `${sitePath}: a call button in the band`);
    const cards = page.locator('.listing .cards > li');
    assert.ok((await cards.count()) >= 5, `${sitePath}: guide cards`);
    assert.ok(await cards.first().locator('p').first().isVisible(), 'a summary');
    assert.match(await cards.first().locator('.audience').textContent(), new RegExp(audience));
    const ways = await page.locator('.ways summary').allTextContents();
    assert.ok(ways.some((w) => w.includes(audience)), `${sitePath}: ways in ${ways}`);
    await context.close();
  }
});

test('a long page has a "Get help" link near the top that jumps to the help box, which stays at the end', async () => {
  const { context, page } = await open('/guides/dead-drops/');
  const jump = page.locator('a.jump-help');
  assert.equal(await jump.getAttribute('href'), '#help');
  const jumpBox = await jump.boundingBox();
  assert.ok(jumpBox.y < 640 * 1.5, `the link is near the top (y=${jumpBox.y})`);
  await jump.click();
  await page.waitForFunction(() => location.hash === '#help');
  const order = await page.evaluate(() => {
    const help = document.getElementById('help');
    return {
      afterMain: !!(document.querySelector('main').compareDocumentPosition(help) & Node.DOCUMENT_POSITION_FOLLOWING),
      beforeFooter: !!(help.compareDocumentPosition(document.querySelector('.site-footer')) & Node.DOCUMENT_POSITION_FOLLOWING),
    };
  });
  assert.deepEqual(order, { afterMain: true, beforeFooter: true });
  await context.close();
});

test('share button: absent without JavaScript; with it, copies the link', async () => {
  const off = await open('/guides/dead-drops/', { javaScriptEnabled: false });
  assert.equal(await off.page.locator('#share').isVisible(), false);
  await off.context.close();
  const { context, page } = await open('/guides/dead-drops/', { permissions: ['clipboard-read', 'clipboard-write'] });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(BASE_URL).origin });
  const share = page.locator('#share');
  assert.equal(await share.isVisible(), true);
  const hasShare = await page.evaluate(() => typeof navigator.share === 'function');
  if (!hasShare) {
    await share.click();
    await page.waitForFunction(() => document.getElementById('share-status').textContent !== '');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, urlOf('/guides/dead-drops/'));
  }
  await context.close();
});

test('statements: accessibility and privacy in both languages, linked from every footer', async () => {
  for (const [sitePath, heading] of [
    ['/accessibility/', 'Accessibility statement'],
    ['/ko/accessibility/', '접근성 안내'],
    ['/privacy/', 'Privacy'],
    ['/ko/privacy/', '개인정보 처리방침'],
  ]) {
    const { context, page } = await open(sitePath);
    assert.equal(await page.locator('h1').textContent(), heading);
    const inFooter = await page.locator('.site-footer a').evaluateAll(
      (as, want) => as.filter((a) => decodeURI(a.pathname).replace(/\/index\.html$/, '/') === want).length,
      sitePath,
    );
    assert.ok(inFooter === 1, `${sitePath} in its footer`);
    assert.ok((await page.locator('main h2').count()) >= 3, `${sitePath}: sections`);
    await context.close();
  }
});

test('the organisation is named in the footer, with its logo in the header', async () => {
  const { context, page } = await open('/ko/');
  assert.match(await page.locator('.site-footer .org').textContent(), /Lantern 프로젝트/);
  const logo = page.locator('.brand img');
  assert.equal(await logo.getAttribute('alt'), '', 'the logo is decorative: the name is beside it');
  assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), 'the logo loads');
  await context.close();
});

test('a section prints as one booklet: every guide, each from a new page, no navigation', async () => {
  const { context, page } = await open('/guides/');
  const href = await page.locator('.booklet-link a').getAttribute('href');
  await page.goto(new URL(href, page.url()).href);
  await page.emulateMedia({ media: 'print' });
  const r = await page.evaluate(() => ({
    pages: document.querySelectorAll('.booklet-page').length,
    breaks: [...document.querySelectorAll('.booklet-page')].map((a) => getComputedStyle(a).breakBefore),
    menu: getComputedStyle(document.querySelector('.menu')).display,
    ids: (() => {
      const all = [...document.querySelectorAll('[id]')].map((e) => e.id);
      return all.length - new Set(all).size;
    })(),
  }));
  const { context: c2, page: guides } = await open('/guides/');
  const listed = await guides.locator('.cards > li').count();
  await c2.close();
  assert.equal(r.pages, listed, 'every guide of the section');
  assert.ok(r.breaks.every((b) => b === 'page'), JSON.stringify(r.breaks));
  assert.equal(r.menu, 'none');
  assert.equal(r.ids, 0, 'no repeated ids');
  await context.close();
});

test('table of contents: a wrapped entry keeps its number on its first line (320px and 360px)', async () => {
  const paths = sitePages().filter((p) => /^\/(ko\/)?guides\/[^/]+\/$/.test(p) && !p.endsWith('/print/'));
  const { context, page } = await open('/');
  let wrapped = 0;
  const orphans = [];
  for (const width of [320, 360]) {
    await page.setViewportSize({ width, height: 740 });
    for (const sitePath of paths) {
      await page.goto(urlOf(sitePath));
      const entries = await page.evaluate(() =>
        [...document.querySelectorAll('.toc li > a')].map((a) => {
          // A probe at the start of the item sits where the list number does: on the
          // item's first line. The link's first letter must be on that line too.
          const probe = document.createElement('span');
          probe.textContent = '\u200b';
          a.parentElement.insertBefore(probe, a);
          const number = probe.getBoundingClientRect();
          probe.remove();
          const range = document.createRange();
          range.setStart(a.firstChild, 0);
          range.setEnd(a.firstChild, 1);
          const letter = range.getBoundingClientRect();
          const lines = Math.round(a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight));
          return { text: a.textContent, apart: Math.abs(number.bottom - letter.bottom), lines };
        }),
      );
      for (const e of entries) {
        if (e.lines > 1) wrapped++;
        if (e.apart > 4) orphans.push(`${width}px ${sitePath}: ${e.text}`);
      }
    }
  }
  assert.ok(wrapped > 0, 'some entry wraps, so the check can fail');
  assert.deepEqual(orphans, []);
  await context.close();
});
