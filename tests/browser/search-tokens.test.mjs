// The browser's tokenizer (themes/lantern/static/search.js) on the shared corpus
// tests/search_tokens.json, which tests/search.rs checks against the Rust tokenizer.
// Runs without a browser: node --test tests/browser/search-tokens.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCRIPT = fs.readFileSync(path.join(here, '../../themes/lantern/static/search.js'), 'utf8');
const corpus = JSON.parse(fs.readFileSync(path.join(here, '../search_tokens.json'), 'utf8'));

function api() {
  const context = { TextEncoder, URL, Promise };
  context.window = context;
  vm.runInNewContext(SCRIPT, context);
  return context.lanternSearch;
}

test('search.js tokenizes the corpus exactly as Rust does', () => {
  const s = api();
  assert.ok(corpus.cases.length >= 10);
  for (const c of corpus.cases) {
    assert.deepEqual(Array.from(s.tokens(c.input, corpus.stems, corpus.synonyms)), c.tokens, c.input);
  }
});

test('FNV-1a agrees with the Rust shard hash', () => {
  const s = api();
  assert.equal(s.fnv(''), 0x811c9dc5);
  assert.equal(s.fnv('a'), 0xe40c292c);
});

test('search.js stays within 10 KB', () => {
  assert.ok(Buffer.byteLength(SCRIPT) <= 10 * 1024, `${Buffer.byteLength(SCRIPT)} bytes`);
});
