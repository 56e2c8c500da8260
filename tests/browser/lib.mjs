// Shared helpers of the browser tests. The tests expect a built site that is being
// served: tests/browser/run.sh builds it and sets these variables.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const SITE_DIR = process.env.LANTERN_SITE_DIR;
export const BASE_URL = process.env.LANTERN_BASE_URL;
export const LANTERN_BIN = process.env.LANTERN_BIN;
export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

if (!SITE_DIR || !BASE_URL) {
  throw new Error('LANTERN_SITE_DIR and LANTERN_BASE_URL are not set: run `bash tests/browser/run.sh`');
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** One headless Chromium, with nothing that phones home. */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-default-apps',
      '--disable-domain-reliability',
    ],
  });
}

/** Every built HTML page as a URL path ("/", "/ko/guides/", "/404.html"), sorted;
 *  redirect stubs (aliases, /page/1/) are left out. */
export function sitePages(dir = SITE_DIR) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) {
        const html = fs.readFileSync(p, 'utf8');
        if (/<meta[^>]+http-equiv=["']?refresh/i.test(html)) continue;
        let rel = '/' + path.relative(dir, p).split(path.sep).join('/');
        if (rel.endsWith('/index.html')) rel = rel.slice(0, -'index.html'.length);
        out.push(rel);
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** The absolute URL of a site path (percent-encodes Korean slugs). */
export function urlOf(sitePath) {
  return new URL(encodeURI(sitePath).replace(/^\//, ''), BASE_URL).href;
}

/** Readable one-line-per-node description of axe violations. */
export function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')}: ${n.html.slice(0, 160)}\n      ${(n.failureSummary || '').replace(/\n/g, ' ').slice(0, 300)}`)
        .join('\n');
      return `  ${v.id} (${v.impact}): ${v.help}\n${nodes}${v.nodes.length > 5 ? `\n    …and ${v.nodes.length - 5} more` : ''}`;
    })
    .join('\n');
}
