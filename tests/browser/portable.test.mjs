// The same built site works away from its configured address: opened from disk
// (file://, a USB stick handed out at a school) and served at another host under another
// sub-path (a deploy preview). On each, the stylesheet and the script load and every link
// of every page leads to a file of the site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, sitePages, SITE_DIR } from './lib.mjs';
import { serve } from './server.mjs';

const SAMPLE = ['/', '/guides/', '/guides/dead-drops/', '/ko/', '/ko/guides/warning-signs/'];

let browser;
let server;
let previewBase;
let previewDir;
before(async () => {
  browser = await launch();
  // Another sub-path at another port: /preview/lantern/ holds the site.
  previewDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-preview-'));
  fs.mkdirSync(path.join(previewDir, 'preview'));
  fs.symlinkSync(SITE_DIR, path.join(previewDir, 'preview', 'lantern'));
  server = await serve(previewDir, 0);
  previewBase = `http://127.0.0.1:${server.address().port}/preview/lantern/`;
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  if (previewDir) fs.rmSync(previewDir, { recursive: true, force: true });
});

/** Where a site path is opened in each setting. */
const places = {
  'file://': (sitePath) => pathToFileURL(path.join(SITE_DIR, decodeURI(sitePath), sitePath.endsWith('/') ? 'index.html' : '')).href,
  'another host and sub-path': (sitePath) => new URL(encodeURI(sitePath).replace(/^\//, ''), previewBase).href,
};

/** Every link and asset URL of the open page, resolved by the browser. */
async function urlsOf(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a[href], link[href]')) out.push(el.href);
    for (const el of document.querySelectorAll('script[src], img[src]')) out.push(el.src);
    return out;
  });
}

/** The file of the site a resolved URL names, or null when it leaves the site. */
function fileOf(url, setting) {
  const u = new URL(url);
  u.hash = '';
  u.search = '';
  let file;
  if (setting === 'file://') {
    if (u.protocol !== 'file:') return null;
    file = fileURLToPath(u);
    if (!file.startsWith(SITE_DIR)) return `outside the site: ${file}`;
  } else {
    if (u.origin !== new URL(previewBase).origin) return null;
    const p = decodeURIComponent(u.pathname);
    const base = new URL(previewBase).pathname;
    if (!p.startsWith(base)) return `outside the sub-path: ${p}`;
    file = path.join(SITE_DIR, p.slice(base.length));
  }
  if (file.endsWith(path.sep) || (fs.existsSync(file) && fs.statSync(file).isDirectory())) {
    if (setting === 'file://') return `a folder, which file:// cannot open: ${file}`;
    file = path.join(file, 'index.html');
  }
  return fs.existsSync(file) ? '' : `missing: ${file}`;
}

for (const [setting, placeOf] of Object.entries(places)) {
  test(`styles and scripts load (${setting})`, async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    try {
      for (const sitePath of SAMPLE) {
        await page.goto(placeOf(sitePath));
        const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.skip')).position);
        assert.equal(styled, 'absolute', `${sitePath}: the stylesheet did not load`);
        await page.waitForFunction(() => document.getElementById('qe-hint')?.hidden === false, null, { timeout: 5000 });
      }
    } finally {
      await context.close();
    }
  });

  test(`every link of every page leads to a file of the site (${setting})`, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const broken = [];
    try {
      const pages = sitePages().filter((p) => !p.endsWith('404.html'));
      assert.ok(pages.length > 10, 'the site has pages');
      for (const sitePath of pages) {
        await page.goto(placeOf(sitePath));
        for (const url of await urlsOf(page)) {
          const problem = fileOf(url, setting);
          if (problem) broken.push(`${sitePath}: ${url} (${problem})`);
        }
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(broken, []);
  });
}
