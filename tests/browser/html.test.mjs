// The Nu HTML Checker (vnu.jar from the vnu-jar npm package, run with Java) over every
// built HTML page: no errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SITE_DIR, REPO } from './lib.mjs';

test('Nu HTML Checker finds no errors in the built site', () => {
  const jar = path.join(REPO, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  const r = spawnSync('java', ['-Xss4m', '-jar', jar, '--errors-only', '--skip-non-html', SITE_DIR], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.error, undefined, String(r.error));
  const report = `${r.stdout}${r.stderr}`.split(SITE_DIR).join('');
  assert.equal(r.status, 0, `vnu reported:\n${report}`);
});
