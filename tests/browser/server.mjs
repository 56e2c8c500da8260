// A tiny static file server for the browser tests: serves a built Lantern site over
// http on 127.0.0.1 with the right content types, the site's 404 page (the nearest
// `404.html` above the missing path, so /ko/… gets the Korean one) and the headers from
// the site's `_headers` file (so the strict Content-Security-Policy is really sent).
//
// As a program: node tests/browser/server.mjs SITE_DIR [PORT]
// prints "listening on http://127.0.0.1:PORT/" once ready (PORT 0 picks a free port).
// The folder may be (re)built while the server runs: every request reads the disk.

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
  '.webmanifest': 'application/manifest+json',
};

/** Content type of a file, by its name. */
export function contentType(file) {
  const base = path.basename(file);
  if (base === 'atom.xml') return 'application/atom+xml; charset=utf-8';
  if (base === 'rss.xml') return 'application/rss+xml; charset=utf-8';
  if (base === '_headers' || base === '_redirects') return 'text/plain; charset=utf-8';
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Parses a Netlify/Cloudflare-style `_headers` file: [{ pattern, headers: [[name, value]] }]. */
export function parseHeaders(text) {
  const rules = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      rules.push({ pattern: line.trim(), headers: [] });
    } else if (rules.length) {
      const i = line.indexOf(':');
      if (i > 0) rules.at(-1).headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
    }
  }
  return rules;
}

function matches(pattern, urlPath) {
  if (pattern.endsWith('*')) return urlPath.startsWith(pattern.slice(0, -1));
  return pattern === urlPath;
}

async function isFile(p) {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

async function isDir(p) {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Starts serving `root`; resolves to the http.Server once it listens. */
export function serve(root, port = 0, host = '127.0.0.1') {
  const rootAbs = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    try {
      await handle(rootAbs, req, res);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(err));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

async function handle(root, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    res.end();
    return;
  }
  const url = new URL(req.url, 'http://127.0.0.1');
  let urlPath;
  try {
    urlPath = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400);
    res.end('bad request');
    return;
  }
  const headers = {};
  try {
    const rules = parseHeaders(await fs.readFile(path.join(root, '_headers'), 'utf8'));
    for (const rule of rules) {
      if (matches(rule.pattern, url.pathname) || matches(rule.pattern, urlPath)) {
        for (const [k, v] of rule.headers) headers[k.toLowerCase()] = v;
      }
    }
  } catch {
    // no _headers file: nothing extra to send
  }
  let file = path.join(root, path.normalize(urlPath));
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403);
    res.end('forbidden');
    return;
  }
  if (await isDir(file)) {
    if (!url.pathname.endsWith('/')) {
      res.writeHead(301, { ...headers, location: url.pathname + '/' + url.search });
      res.end();
      return;
    }
    file = path.join(file, 'index.html');
  }
  let status = 200;
  if (!(await isFile(file))) {
    status = 404;
    file = null;
    // The nearest 404.html going up from the requested folder.
    let dir = path.dirname(path.join(root, path.normalize(urlPath)));
    while (dir.startsWith(root)) {
      if (await isFile(path.join(dir, '404.html'))) {
        file = path.join(dir, '404.html');
        break;
      }
      if (dir === root) break;
      dir = path.dirname(dir);
    }
  }
  if (!file) {
    res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
    return;
  }
  const body = await fs.readFile(file);
  res.writeHead(status, {
    ...headers,
    'content-type': contentType(file),
    'content-length': body.length,
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [root, port = '0'] = process.argv.slice(2);
  if (!root) {
    console.error('usage: node server.mjs SITE_DIR [PORT]');
    process.exit(2);
  }
  const server = await serve(root, Number(port));
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
