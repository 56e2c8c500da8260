/* Site search: the tokenizer of src/search/tokenize.rs (tests/search_tokens.json checks
   both). The index is scripts beside the search page calling lanternSearch.add: works
   from file:// under a strict CSP. The query stays in the fragment (#q=), never sent. */
(function (g) {
  'use strict';
  var ENDINGS = ('에서부터 이라는 에서는 에서도 에게서 으로는 으로도 하세요 합니다 입니다 까지는 에게는 에서 에게 한테 으로 까지 부터 처럼 보다 이나 이란 라는 에는 에도 와는 과는 하는 하고 하기 해야 했다 하면 된다 되는 이다 은 는 이 가 을 를 에 로 와 과 의 도 만 나').split(' ');
  var WORD = /[\uAC00-\uD7A3]+|(?:(?![\uAC00-\uD7A3])[\p{Alphabetic}\p{N}])+/gu;
  var HANGUL = /^[\uAC00-\uD7A3]/;

  function rawWords(text) {
    return text.normalize('NFC').toLowerCase().match(WORD) || [];
  }
  function chars(s) { return Array.from(s); }
  function strip(word) {
    var n = chars(word).length;
    for (var i = 0; i < ENDINGS.length; i++) {
      var e = ENDINGS[i];
      if (word.length > e.length && word.slice(-e.length) === e && n - chars(e).length >= 2) {
        return word.slice(0, -e.length);
      }
    }
    return null;
  }
  /* One word's forms and bigrams; stemOf maps a non-Hangul word to its stem. */
  function analyseWord(word, stemOf, syn) {
    var s = function (w) { return Object.prototype.hasOwnProperty.call(syn, w) ? syn[w] : null; };
    if (!HANGUL.test(word)) return { forms: [s(word) || stemOf(word)], grams: [] };
    var forms = [s(word) || word];
    var st = strip(word);
    if (st !== null) {
      var f = s(st) || st;
      if (forms.indexOf(f) < 0) forms.push(f);
    }
    var c = chars(word), grams = [];
    if (c.length >= 3) {
      for (var i = 0; i + 1 < c.length; i++) {
        var gr = c[i] + c[i + 1];
        if (grams.indexOf(gr) < 0) grams.push(gr);
      }
    }
    return { forms: forms, grams: grams };
  }
  function tokens(text, stems, syn) {
    var out = [];
    rawWords(text).forEach(function (w) {
      var a = analyseWord(w, function (x) { return stems[x] || x; }, syn);
      out.push.apply(out, a.forms);
      a.grams.forEach(function (gr) { if (a.forms.indexOf(gr) < 0) out.push(gr); });
    });
    return out;
  }
  function fnv(s) {
    var b = new TextEncoder().encode(s), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) { h ^= b[i]; h = Math.imul(h, 16777619) >>> 0; }
    return h >>> 0;
  }

  var cache = {}, waiting = {};
  var api = g.lanternSearch = {
    rawWords: rawWords, analyseWord: analyseWord, tokens: tokens, fnv: fnv, strip: strip,
    add: function (kind, n, data) { cache[kind === 'm' ? 'm' : kind + n] = data; }
  };
  var doc = g.document;
  if (!doc) return;

  function load(name) {
    if (cache[name]) return Promise.resolve(cache[name]);
    if (!waiting[name]) {
      waiting[name] = new Promise(function (ok, fail) {
        var el = doc.createElement('script');
        el.src = new URL(name + '.js', doc.baseURI).href;
        el.onload = function () { cache[name] ? ok(cache[name]) : fail(name); };
        el.onerror = function () { delete waiting[name]; fail(name); };
        doc.head.appendChild(el);
      });
    }
    return waiting[name];
  }
  function shardOf(m, s) { return 't' + (fnv(s) % m.terms); }
  function loadAll(names) {
    var uniq = names.filter(function (n, i) { return names.indexOf(n) === i; });
    return Promise.all(uniq.map(load));
  }
  function postings(m, t) {
    var sh = cache[shardOf(m, t)];
    return (sh && sh.p[t]) || [];
  }
  /* Mirrors index::word_scores in Rust. */
  function wordScores(m, w) {
    var out = {};
    w.forms.forEach(function (f) {
      var p = postings(m, f);
      for (var i = 0; i < p.length; i += 2) out[p[i]] = Math.max(out[p[i]] || 0, p[i + 1]);
    });
    if (!w.grams.length) return out;
    var sum = {};
    w.grams.forEach(function (gr) {
      var p = postings(m, gr);
      for (var i = 0; i < p.length; i += 2) {
        var e = sum[p[i]] || (sum[p[i]] = [0, 0]);
        e[0] += 1; e[1] += p[i + 1];
      }
    });
    Object.keys(sum).forEach(function (d) {
      if (sum[d][0] === w.grams.length) out[d] = Math.max(out[d] || 0, sum[d][1] / w.grams.length / 2);
    });
    return out;
  }
  /* Mirrors index::stem_candidates and index::query_stem. */
  function candidates(w) {
    var out = [w];
    ['ing', 'ed', 'es', 's', 'ly'].forEach(function (x) {
      if (w.slice(-x.length) === x && chars(w).length - x.length >= 3) out.push(w.slice(0, -x.length));
    });
    return out;
  }
  function queryStem(m, w) {
    var c = candidates(w);
    for (var i = 0; i < c.length; i++) {
      var sh = cache[shardOf(m, c[i])];
      if (sh && Object.prototype.hasOwnProperty.call(sh.s, c[i])) return sh.s[c[i]];
      if (sh && Object.prototype.hasOwnProperty.call(sh.p, c[i])) return c[i];
    }
    return w;
  }
  function search(q) {
    return load('m').then(function (m) {
      var raw = rawWords(q);
      var latin = [];
      raw.forEach(function (w) { if (!HANGUL.test(w)) latin = latin.concat(candidates(w)); });
      return loadAll(latin.map(function (w) { return shardOf(m, w); })).then(function () {
        var words = raw.map(function (w) {
          return analyseWord(w, function (x) { return queryStem(m, x); }, m.syn);
        });
        var terms = [];
        words.forEach(function (w) { terms = terms.concat(w.forms, w.grams); });
        return loadAll(terms.map(function (t) { return shardOf(m, t); })).then(function () {
          return rank(m, words);
        });
      });
    });
  }
  function rank(m, words) {
    var total = {};
    words.forEach(function (w) {
      var s = wordScores(m, w);
      Object.keys(s).forEach(function (d) {
        var e = total[d] || (total[d] = [0, 0]);
        e[0] += 1; e[1] += s[d];
      });
    });
    var hits = Object.keys(total).map(Number);
    hits.sort(function (a, b) {
      var fa = total[a][0] === words.length, fb = total[b][0] === words.length;
      return (fb - fa) || (total[b][1] - total[a][1]) || (a - b);
    });
    var top = hits.slice(0, 10);
    return loadAll(top.map(function (d) { return 'd' + Math.floor(d / m.docsPer); })).then(function () {
      return { count: hits.length, docs: top.map(function (d) { return cache['d' + Math.floor(d / m.docsPer)][d % m.docsPer]; }) };
    });
  }

  /* Text with every needle wrapped in <mark>, built as DOM nodes (no innerHTML). */
  function highlight(el, text, needles) {
    var low = text.toLowerCase(), marks = [];
    needles.forEach(function (n) {
      for (var i = low.indexOf(n); n && i >= 0; i = low.indexOf(n, i + n.length)) marks.push([i, i + n.length]);
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var at = 0;
    marks.forEach(function (r) {
      if (r[0] < at) return;
      el.appendChild(doc.createTextNode(text.slice(at, r[0])));
      var mk = doc.createElement('mark');
      mk.textContent = text.slice(r[0], r[1]);
      el.appendChild(mk);
      at = r[1];
    });
    el.appendChild(doc.createTextNode(text.slice(at)));
  }
  function show(form, q, res) {
    var status = doc.getElementById('search-status'), list = doc.getElementById('search-results');
    list.textContent = '';
    var key = res.count ? 'results' : 'none';
    status.textContent = form.getAttribute('data-' + key).replace('{count}', res.count).replace('{query}', q);
    var needles = [];
    rawWords(q).forEach(function (w) { needles.push(w); var s = strip(w); if (s) needles.push(s); });
    res.docs.forEach(function (d) {
      var li = doc.createElement('li'), a = doc.createElement('a'), p = doc.createElement('p');
      a.href = new URL(d[1], siteRoot()).href;
      highlight(a, d[0], needles);
      li.appendChild(a);
      if (d[2]) {
        var sec = doc.createElement('span');
        sec.className = 'section';
        sec.textContent = d[2];
        li.appendChild(sec);
      }
      highlight(p, d[3], needles);
      li.appendChild(p);
      list.appendChild(li);
    });
  }
  /* The site's root: search.js sits there. */
  function siteRoot() {
    var s = doc.querySelector('script[src$="search.js"]');
    return new URL('.', s ? s.src : doc.baseURI).href;
  }
  function fromHash() {
    var m = /^#q=(.*)$/.exec(g.location.hash);
    try { return m ? decodeURIComponent(m[1].replace(/\+/g, ' ')) : ''; } catch (e) { return ''; }
  }

  function page(form) {
    var input = doc.getElementById('search-q'), status = doc.getElementById('search-status');
    var timer = null, seq = 0;
    function run(q) {
      var n = ++seq;
      if (!rawWords(q).length) { status.textContent = ''; doc.getElementById('search-results').textContent = ''; return; }
      status.textContent = form.getAttribute('data-loading');
      search(q).then(function (res) { if (n === seq) show(form, q, res); },
        function () { if (n === seq) status.textContent = form.getAttribute('data-failed'); });
    }
    function go(q) {
      if (g.history && g.history.replaceState) g.history.replaceState(null, '', '#q=' + encodeURIComponent(q));
      run(q);
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { go(input.value); }, 250);
    });
    form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); go(input.value); });
    g.addEventListener('hashchange', function () { input.value = fromHash(); run(input.value); });
    input.value = fromHash();
    run(input.value);
  }

  var form = doc.getElementById('search-form');
  if (form) page(form);
  api.search = search;
})(typeof window !== 'undefined' ? window : globalThis);
