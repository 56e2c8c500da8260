// The quick exit ("Exit this page"): a plain link that works with JavaScript off, and
// with JavaScript on, Shift three times, blanking, and no way Back to the page.
// The neutral site is never contacted: page.route answers for its host.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, urlOf, LANTERN_BIN, REPO } from './lib.mjs';

const PAGE = '/guides/dead-drops/';
const OTHER = '/';
let browser;
let exitUrl;

before(async () => {
  browser = await launch();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(urlOf(PAGE));
  exitUrl = await page.getAttribute('#qe-link', 'href');
  await context.close();
});

after(async () => {
  await browser?.close();
});

/** A context whose requests to the exit site get a tiny local answer. */
async function contextWithExitSite(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const host = new URL(exitUrl).host;
  const seen = [];
  await context.route(
    (url) => url.host === host,
    (route) => {
      seen.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Weather</title><p>Weather' });
    },
  );
  return { context, seen };
}

function samePage(a, b) {
  const x = new URL(a);
  const y = new URL(b);
  return x.origin === y.origin && x.pathname === y.pathname;
}

describe('quick exit markup', () => {
  test('is a real link right after the skip link, first in keyboard order', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(urlOf(PAGE));
    const link = page.locator('#qe-link');
    assert.equal(await link.evaluate((el) => el.tagName), 'A');
    const rel = (await link.getAttribute('rel')).split(/\s+/);
    assert.ok(rel.includes('nofollow') && rel.includes('noreferrer'), `rel="${rel.join(' ')}"`);
    assert.equal(await link.getAttribute('target'), null, 'must not open a new tab');
    assert.match(exitUrl, /^https?:\/\//);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'qe-link');
    // Before the main content and the header, visually too.
    const exitBox = await link.boundingBox();
    const headerBox = await page.locator('.site-header').boundingBox();
    assert.ok(exitBox.y < headerBox.y, 'exit link is above the header');
    // The Shift hint is shown when JavaScript can honour it.
    assert.ok(await page.locator('#qe-hint').isVisible(), 'Shift hint visible with JavaScript on');
    await context.close();
  });

  test('stays in view after scrolling (phone width)', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto(urlOf(PAGE));
    await page.mouse.wheel(0, 3000);
    await page.waitForFunction(() => window.scrollY > 1000);
    const box = await page.locator('#qe-link').boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= 640, `exit link at y=${box.y}`);
    assert.ok(box.height >= 24 && box.width >= 24, 'target at least 24px');
    await context.close();
  });
});

describe('quick exit without JavaScript', () => {
  test('clicking the link goes to the exit site', async () => {
    const { context, seen } = await contextWithExitSite({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(urlOf(PAGE));
    assert.equal(await page.locator('#qe-hint').isVisible(), false, 'no Shift hint when it cannot work');
    await Promise.all([page.waitForURL((u) => u.href.startsWith(exitUrl)), page.click('#qe-link')]);
    assert.ok(page.url().startsWith(exitUrl), page.url());
    assert.equal(seen.length, 1);
    await context.close();
  });

  test('the link works from the keyboard too', async () => {
    const { context } = await contextWithExitSite({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(urlOf(PAGE));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL((u) => u.href.startsWith(exitUrl)), page.keyboard.press('Enter')]);
    assert.ok(page.url().startsWith(exitUrl), page.url());
    await context.close();
  });
});

describe('quick exit with JavaScript', () => {
  test('Shift three times leaves, and Back does not return to the page', async () => {
    const { context } = await contextWithExitSite();
    const page = await context.newPage();
    await page.goto(urlOf(OTHER));
    await page.goto(urlOf(PAGE));
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await Promise.all([page.waitForURL((u) => u.href.startsWith(exitUrl)), page.keyboard.press('Shift')]);
    assert.ok(page.url().startsWith(exitUrl), page.url());
    await page.goBack();
    assert.ok(!samePage(page.url(), urlOf(PAGE)), `Back returned to ${page.url()}`);
    assert.ok(samePage(page.url(), urlOf(OTHER)), `Back went to ${page.url()}`);
    await context.close();
  });

  test('clicking the link leaves, and Back does not return to the page', async () => {
    const { context } = await contextWithExitSite();
    const page = await context.newPage();
    await page.goto(urlOf(OTHER));
    await page.goto(urlOf(PAGE));
    await Promise.all([page.waitForURL((u) => u.href.startsWith(exitUrl)), page.click('#qe-link')]);
    await page.goBack();
    assert.ok(!samePage(page.url(), urlOf(PAGE)), `Back returned to ${page.url()}`);
    await context.close();
  });

  test('Shift used with other keys (typing capitals) does not leave', async () => {
    const { context, seen } = await contextWithExitSite();
    const page = await context.newPage();
    await page.goto(urlOf(PAGE));
    for (const key of ['KeyA', 'KeyB', 'KeyC', 'KeyD']) {
      await page.keyboard.down('Shift');
      await page.keyboard.press(key);
      await page.keyboard.up('Shift');
    }
    await page.waitForTimeout(300);
    assert.ok(samePage(page.url(), urlOf(PAGE)), page.url());
    assert.equal(seen.length, 0);
    await context.close();
  });

  test('three presses more than 5 seconds apart do not leave', async () => {
    const { context, seen } = await contextWithExitSite();
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(urlOf(PAGE));
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    assert.match(await page.locator('#qe-status').textContent(), /1/);
    await page.clock.fastForward(5100);
    await page.keyboard.press('Shift');
    await page.waitForTimeout(300);
    assert.ok(samePage(page.url(), urlOf(PAGE)), page.url());
    assert.equal(seen.length, 0);
    await context.close();
  });

  test('the page is blanked while leaving and shown again when restored (pageshow)', async () => {
    const context = await browser.newContext();
    const host = new URL(exitUrl).host;
    // An aborted navigation leaves the page in place, blanked, as it is while the
    // neutral site loads; then a back/forward cache restore is simulated.
    const seen = [];
    await context.route(
      (url) => url.host === host,
      (route) => {
        seen.push(route.request().url());
        return route.abort('aborted');
      },
    );
    const page = await context.newPage();
    await page.goto(urlOf(PAGE));
    await page.click('#qe-link', { noWaitAfter: true });
    await page.waitForFunction(() => document.documentElement.classList.contains('exiting'));
    assert.equal(seen.length, 1, 'navigation to the exit site started');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).display), 'none');
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('exiting')), false);
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).display), 'none');
    await context.close();
  });
});

describe('quick exit settings ([quick_exit] in lantern.toml)', () => {
  /** Builds the bundled site with more lantern.toml lines into a temp folder; returns
   *  the HTML of one page per language. */
  function buildWith(moreToml) {
    assert.ok(LANTERN_BIN, 'LANTERN_BIN is set by run.sh');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-qe-'));
    try {
      for (const name of ['content', 'data', 'themes', 'static', 'templates', 'i18n']) {
        if (fs.existsSync(path.join(REPO, name))) fs.symlinkSync(path.join(REPO, name), path.join(root, name));
      }
      // The folders are links into the repository: allow it on purpose (Lantern refuses
      // links that lead out of the site otherwise).
      const allow = `allow_outside = [${JSON.stringify(REPO)}]\n`;
      const toml = `${allow}${fs.readFileSync(path.join(REPO, 'lantern.toml'), 'utf8')}\n${moreToml}\n`;
      fs.writeFileSync(path.join(root, 'lantern.toml'), toml);
      execFileSync(LANTERN_BIN, ['build', '--root', root, '--output', path.join(root, 'out')], { stdio: 'pipe' });
      const read = (rel) => fs.readFileSync(path.join(root, 'out', rel, 'index.html'), 'utf8');
      return { en: read('guides/dead-drops'), ko: read('ko/guides/dead-drops') };
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }

  test('enabled = false removes the link and the script', () => {
    const { en, ko } = buildWith('[quick_exit]\nenabled = false');
    for (const html of [en, ko]) {
      assert.doesNotMatch(html, /qe-link/);
      assert.doesNotMatch(html, /exit\.js/);
    }
  });

  test('url changes where it goes; [languages.ko.quick_exit] changes it for Korean only', () => {
    const { en, ko } = buildWith('[quick_exit]\nurl = "https://www.example.com/news"\n[languages.ko.quick_exit]\nurl = "https://www.example.com/ko/news"');
    assert.match(en, /href="?https:\/\/www\.example\.com\/news"?/);
    assert.match(ko, /href="?https:\/\/www\.example\.com\/ko\/news"?/);
  });
});

describe('quick exit per language', () => {
  for (const [sitePath, host] of [
    ['/guides/dead-drops/', 'www.bbc.com'],
    ['/', 'www.bbc.com'],
    ['/ko/guides/dead-drops/', 'www.weather.go.kr'],
    ['/ko/', 'www.weather.go.kr'],
  ]) {
    test(`${sitePath} exits to a neutral page in its language (${host})`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(urlOf(sitePath));
      const href = await page.getAttribute('#qe-link', 'href');
      assert.equal(new URL(href).host, host, href);
      await context.close();
    });
  }
});
