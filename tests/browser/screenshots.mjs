// Screenshots of the default theme for the README (not run in CI):
//   node tests/browser/screenshots.mjs [path/to/lantern]
// Builds the bundled site, serves it on 127.0.0.1 and writes docs/screenshots/*.png:
// the home page and one explainer, in English and Korean, at 360px (phone, full page)
// and 1280px (desktop, first screen). Korean text needs a CJK font, and the PNGs are
// made smaller with pngquant when it is installed: on Debian,
// `apt-get install fonts-noto-cjk pngquant`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const bin = process.argv[2] || path.join(repo, 'target', 'release', 'lantern');
const outDir = path.join(repo, 'docs', 'screenshots');
fs.mkdirSync(outDir, { recursive: true });
const hasPngquant = spawnSync('pngquant', ['--version']).status === 0;

/** Shrinks a PNG in place with pngquant (lossy palette), if it is installed. */
function shrink(file) {
  if (hasPngquant) execFileSync('pngquant', ['--force', '--skip-if-larger', '--strip', '--quality=70-95', '--output', file, file]);
  console.log(`${path.relative(repo, file)}: ${fs.statSync(file).size} bytes`);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-shots-'));
const site = path.join(work, 'site');
const server = await serve(site, 0);
const base = `http://127.0.0.1:${server.address().port}/`;
execFileSync(bin, ['build', '--root', repo, '--base-url', base, '--output', site], { stdio: 'inherit' });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars'],
});

const shots = [
  ['home-en', '/'],
  ['home-ko', '/ko/'],
  ['explainer-en', '/guides/dead-drops/'],
  ['explainer-ko', '/ko/guides/dead-drops/'],
];
const views = [
  ['phone', { width: 360, height: 740 }, true],
  ['desktop', { width: 1280, height: 900 }, false],
];

try {
  for (const [name, sitePath] of shots) {
    for (const [view, viewport, fullPage] of views) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme: 'light' });
      const page = await context.newPage();
      await page.goto(new URL(encodeURI(sitePath).slice(1), base).href);
      const file = path.join(outDir, `${name}-${view}.png`);
      await page.screenshot({ path: file, fullPage });
      shrink(file);
      await context.close();
    }
  }
  // One in dark mode, to show the colour scheme.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto(new URL('guides/dead-drops/', base).href);
  const file = path.join(outDir, 'explainer-en-desktop-dark.png');
  await page.screenshot({ path: file });
  shrink(file);
  await context.close();
} finally {
  await browser.close();
  server.close();
  fs.rmSync(work, { recursive: true, force: true });
}
