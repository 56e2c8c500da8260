// The live-reload script (src/serve/live.js) in a stand-in page: Node's vm with a fake
// EventSource and location, no browser needed. Run alone with
//   node --test tests/browser/live-reload.test.mjs
// A page at a Korean URL must reload when an event names it, whichever way the path is
// spelled: `location.pathname` is percent-encoded, the event's paths may not be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const SCRIPT = fs.readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/serve/live.js'),
  'utf8',
);

/** Runs the script on a page at `pathname`; returns a function sending one event. */
function page(pathname) {
  const listeners = {};
  const state = { reloads: 0 };
  const context = {
    location: { pathname, reload: () => { state.reloads += 1; } },
    document: {
      querySelectorAll: () => [],
      createElement: () => ({ style: {}, setAttribute() {}, appendChild() {} }),
      body: { appendChild() {} },
    },
    EventSource: class {
      addEventListener(name, fn) { listeners[name] = fn; }
    },
    URL,
    Date,
    JSON,
  };
  vm.runInNewContext(SCRIPT, context);
  return {
    state,
    send: (event, data) => listeners[event]({ data: JSON.stringify(data) }),
  };
}

const ENCODED = '/news/%ED%85%94%EB%A0%88%EA%B7%B8%EB%9E%A8-%EB%B9%84%EB%B0%80/';
const DECODED = '/news/텔레그램-비밀/';

test('a Hangul page reloads when the event names it decoded', () => {
  const p = page(ENCODED);
  p.send('reload', { paths: [DECODED], all: false, css_only: false });
  assert.equal(p.state.reloads, 1);
});

test('a Hangul page reloads when the event names it encoded (lowercase hex too)', () => {
  const p = page(ENCODED);
  p.send('reload', { paths: [ENCODED.toLowerCase()], all: false, css_only: false });
  assert.equal(p.state.reloads, 1);
});

test('another page, or a malformed path, does not reload it', () => {
  const p = page(ENCODED);
  p.send('reload', { paths: ['/news/다른-글/', '/news/%E0%A4%A/'], all: false, css_only: false });
  assert.equal(p.state.reloads, 0);
});

test('a page opened through a portable link (…/index.html) reloads when its folder changes', () => {
  const p = page(`${ENCODED}index.html`);
  p.send('reload', { paths: [DECODED], all: false, css_only: false });
  assert.equal(p.state.reloads, 1);
});
