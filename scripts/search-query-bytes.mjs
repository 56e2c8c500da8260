// Runs themes/lantern/static/search.js in Node against a built site's search index (no
// browser): loads the shards a query needs from disk the way the page would, and prints
// per query the bytes downloaded and the first results. Used by scripts/bench-search.sh
// for BENCHMARKS.md ("Search").
//   node scripts/search-query-bytes.mjs SITE_DIR LANG_DIR "query" ["query" ...]
// LANG_DIR is the folder of the search page inside SITE_DIR: "search" or "ko/search".
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCRIPT = fs.readFileSync(path.join(here, '../themes/lantern/static/search.js'), 'utf8');
const [site, langDir, ...queries] = process.argv.slice(2);

function run(query) {
  let bytes = 0;
  const context = { TextEncoder, URL, Promise, setTimeout };
  context.window = context;
  context.document = {
    baseURI: pathToFileURL(path.join(site, langDir, 'index.html')).href,
    head: {
      appendChild(el) {
        const file = fileURLToPath(el.src);
        setTimeout(() => {
          try {
            const code = fs.readFileSync(file, 'utf8');
            bytes += Buffer.byteLength(code);
            vm.runInContext(code, context);
            el.onload();
          } catch (e) {
            el.onerror(e);
          }
        });
      },
    },
    createElement: () => ({}),
    querySelectorAll: () => [],
    getElementById: () => null,
  };
  vm.createContext(context);
  vm.runInContext(SCRIPT, context);
  return context.lanternSearch.search(query).then((res) => ({ query, bytes, count: res.count, top: res.docs.slice(0, 3).map((d) => d[1]) }));
}

for (const q of queries) console.log(JSON.stringify(await run(q)));
