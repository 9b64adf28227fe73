// Search (issues 13 and 20). The header box is a plain form to search.html, so it works without
// JavaScript (that page then lists the district tables). On search.html this script loads, by
// <script> (fetch() is refused on file://) and only once the reader searches, the manifest of
// the chosen district(s) — search/<district>.js, calling BudgetSearch.manifest — then only the
// chunks its query needs: search/<district>/w<n>.js (BudgetSearch.chunk), named in the
// manifest by the first characters of their tokens (the first two, for a character with
// many), which give the vocabulary words and, per token (a pair of neighbouring characters, a
// text's last character), the departments that hold it; and one of search/<district>/x<n>.js,
// whole texts by hash. From those it picks the candidate departments, the most
// likely first, and loads their records (search/<district>/d<n>.js, or b<n>.js holding eight
// neighbouring departments' where it needs half of them; BudgetSearch.part) to
// rank them in the page as before: a query is split into the build's jieba words and also
// matched by character bigrams, so "职工帮扶" finds "困难职工帮扶" and "助学金" finds "金秋助学".
// A query naming a year or filtering by one reads search/<district>/y.js (each year's
// departments); a query with only filters reads search/<district>/f.js (departments per
// level-1 category and with vague targets).
(function () {
  "use strict";
  var shards = {};          // slug → district: its manifest, loaded tokens and records
  var scripts = {};         // src → "done" | "failed" | [callbacks] while it loads
  var words = {};           // vocabulary of every loaded chunk
  var maxWord = 1;
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var CAP = 30;             // candidate departments whose records a first query loads
  var DIGIT = {};
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach(function (c, i) { DIGIT[c] = i; });

  // A district's manifest: it names its chunks by their characters.
  function manifest(m) {
    var ix = shards[m.slug] || (shards[m.slug] = { slug: m.slug });
    ix.district = m.district; ix.href = m.href; ix.l1 = m.l1; ix.n = m.deps; ix.years = m.years || {};
    ix.bundle = m.bundle || 0;
    ix.chunkOf = {}; ix.splitOf = {}; ix.xn = m.exact; ix.tokens = {}; ix.exact = {}; ix.deps = {}; ix.docs = {};
    // A key is a first character, or the first two of a character split across chunks.
    m.chunks.forEach(function (keys, i) {
      keys.split(" ").forEach(function (k) {
        ix.chunkOf[k] = "w" + i;
        if (k.length === 2) { (ix.splitOf[k.charAt(0)] = ix.splitOf[k.charAt(0)] || []).push("w" + i); }
      });
    });
  }
  function chunk(slug, id, c) {
    var ix = shards[slug];
    if (!ix) { return; }
    if (c.w) {
      c.w.split(" ").forEach(function (w) {
        if (w) { words[w] = true; if (w.length > maxWord) { maxWord = w.length; } }
      });
    }
    if (id === "f") { ix.filters = c.t; return; }
    if (id === "y") { ix.years = c.t; return; }
    var k;
    for (k in c.t) { if (Object.prototype.hasOwnProperty.call(c.t, k)) { ix.tokens[k] = c.t[k]; } }
    for (k in c.x || {}) { if (Object.prototype.hasOwnProperty.call(c.x, k)) { ix.exact[k] = c.x[k]; } }
  }
  // A department's record: [name, page, docs]; a doc is [department, year, anchor, title,
  // lines], a line [level1 or -1, name, target, vague].
  function part(slug, id, rec) {
    var ix = shards[slug];
    if (!ix) { return; }
    rec[2].forEach(function (doc) {
      doc.low = doc[3].toLowerCase();
      doc[4].forEach(function (l) { l.n = l[1].toLowerCase(); l.t = l[2].toLowerCase(); });
    });
    ix.deps[id] = [rec[0], rec[1]];
    ix.deps[id].low = rec[0].toLowerCase();
    ix.docs[id] = rec[2];
  }

  // Loads the scripts `srcs` (each once); calls done() when all have run or failed.
  function loadScripts(srcs, done) {
    var left = 1;
    function one() { left -= 1; if (left === 0) { done(); } }
    srcs.forEach(function (src) {
      var st = scripts[src];
      if (st === "done" || st === "failed") { return; }
      left += 1;
      if (st) { st.push(one); return; }
      scripts[src] = [one];
      var el = document.createElement("script");
      el.src = src;
      el.async = true;
      function end(state) {
        return function () {
          var waiting = scripts[src];
          scripts[src] = state;
          waiting.forEach(function (f) { f(); });
        };
      }
      el.onload = end("done");
      el.onerror = end("failed");
      document.head.appendChild(el);
    });
    one();
  }

  // The manifests of `list` ([{slug, src}]).
  function load(list, done) {
    loadScripts(list.map(function (s) { return s.src; }), done);
  }

  // A sorted list of department numbers from its text (gaps in base 64, or `*` and a bitmap).
  function ids(s) {
    var out = [], i, v;
    if (!s) { return out; }
    if (s.charAt(0) === "*") {
      for (i = 1; i < s.length; i++) {
        v = DIGIT[s.charAt(i)];
        for (var b = 0; b < 6; b++) { if (v & (1 << b)) { out.push((i - 1) * 6 + b); } }
      }
      return out;
    }
    var prev = -1, val = 0, shift = 0;
    for (i = 0; i < s.length; i++) {
      v = DIGIT[s.charAt(i)];
      val += (v & 31) * Math.pow(2, shift);
      if (v & 32) { shift += 5; } else { prev += val + 1; out.push(prev); val = 0; shift = 0; }
    }
    return out;
  }

  // FNV-1a over UTF-16 code units: the build's hash of a whole text (in base 36 its key;
  // modulo the manifest's `exact` its chunk).
  function fnv(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h;
  }
  function hash(s) { return fnv(s).toString(36); }

  // A query term: its text, the vocabulary words it splits into (longest first, left to
  // right), its character bigrams, and the year it names, if it is one.
  function term(text) {
    var t = { text: text, words: [], bigrams: [], year: null };
    var m = /^((?:19|20)\d\d)年?(?:度)?$/.exec(text);
    if (m) { t.year = +m[1]; }
    var i = 0;
    while (i < text.length) {
      var ch = text.charAt(i);
      if (!CJK.test(ch)) { i += 1; continue; }
      var n = Math.min(maxWord, text.length - i), found = 0;
      for (; n >= 2; n--) {
        if (words[text.substr(i, n)]) { found = n; break; }
      }
      if (found) { t.words.push(text.substr(i, found)); i += found; } else { i += 1; }
    }
    for (var j = 0; j + 1 < text.length; j++) {
      var bg = text.substr(j, 2);
      if (CJK.test(bg.charAt(0)) && CJK.test(bg.charAt(1)) && t.bigrams.indexOf(bg) < 0) {
        t.bigrams.push(bg);
      }
    }
    return t;
  }

  function parse(q) {
    return q.toLowerCase().split(/[\s,，、;；]+/).filter(Boolean).map(term);
  }

  // How well a term matches a text (lowercased): 0 (not at all) to 2 (the whole text).
  function score(t, s) {
    if (!s) { return 0; }
    var at = s.indexOf(t.text);
    if (at >= 0) { return s.length === t.text.length ? 2 : 1.5 + 0.3 * t.text.length / s.length; }
    if (!t.bigrams.length) { return 0; }
    var w = 0, b = 0, i;
    for (i = 0; i < t.words.length; i++) { if (s.indexOf(t.words[i]) >= 0) { w += t.words[i].length; } }
    for (i = 0; i < t.bigrams.length; i++) { if (s.indexOf(t.bigrams[i]) >= 0) { b += 1; } }
    var cov = Math.max(0.95 * w / t.text.length, 0.85 * b / t.bigrams.length);
    return cov >= 0.5 ? cov : 0;
  }

  // The departments of district `ix` that may match term t (a superset: a text that scores
  // for t holds all its character pairs, or one of its Chinese bigrams, or t is a year and the
  // department has a form of it), with a weight to try the likeliest first: 4 if a text of
  // the department is t itself, plus the share of t's bigrams it holds.
  // (Per department a weight, -1 where it is not a candidate: typed arrays, as a common word
  // of a 20,000-department district has 20,000 candidates.)
  function termCandidates(ix, t) {
    var n = ix.n, found = new Float64Array(n).fill(-1), i, j, d, list;
    function add(s, w) {
      list = ids(s);
      for (j = 0; j < list.length; j++) { d = list[j]; found[d] = (found[d] < 0 ? 0 : found[d]) + w; }
    }
    var text = t.text;
    if (text.length === 1) {
      for (var k in ix.tokens) {
        if (Object.prototype.hasOwnProperty.call(ix.tokens, k) && k.charAt(0) === text) { add(ix.tokens[k], 0); }
      }
    } else {
      // Every pair (any characters): a text that holds t.
      var all = null;
      for (i = 0; i + 1 < text.length; i++) {
        list = ids(ix.tokens[text.substr(i, 2)]);
        var next = new Uint8Array(n);
        for (j = 0; j < list.length; j++) { if (!all || all[list[j]]) { next[list[j]] = 1; } }
        all = next;
      }
      for (d = 0; d < n; d++) { if (all[d] && found[d] < 0) { found[d] = 0; } }
      for (i = 0; i < t.bigrams.length; i++) { add(ix.tokens[t.bigrams[i]], 1 / t.bigrams.length); }
    }
    if (t.year && ix.years[t.year]) { add(ix.years[t.year], 0); }
    list = ids(ix.exact[hash(text)]);
    for (i = 0; i < list.length; i++) { if (found[list[i]] >= 0) { found[list[i]] += 4; } }
    return found;
  }

  // The candidate departments of the loaded districts `slugs` for query q and filters, the
  // likeliest first: [{ix, dep, w}].
  function candidates(q, slugs, filters) {
    var terms = parse(q);
    var lineFilter = !!(filters.category || filters.vague);
    var out = [];
    if (!terms.length && !lineFilter) { return out; }
    slugs.forEach(function (slug) {
      var ix = shards[slug];
      if (!ix || !ix.tokens) { return; }
      var cat = filters.category ? ix.l1.indexOf(filters.category) : -1;
      if (filters.category && cat < 0) { return; }
      var n = ix.n, found = null, i, d;
      for (i = 0; i < terms.length; i++) {
        var f = termCandidates(ix, terms[i]);
        if (found) {
          for (d = 0; d < n; d++) { if (found[d] >= 0) { found[d] = f[d] < 0 ? -1 : found[d] + f[d]; } }
        } else { found = f; }
      }
      if (!terms.length) {
        found = new Float64Array(n).fill(-1);
        ids((ix.filters || {})[filters.category ? "c" + cat + (filters.vague ? "v" : "") : "v"]).forEach(function (d) { found[d] = 0; });
      }
      if (filters.year) {
        var inYear = new Uint8Array(n);
        ids(ix.years[filters.year]).forEach(function (d) { inYear[d] = 1; });
        for (d = 0; d < n; d++) { if (!inYear[d]) { found[d] = -1; } }
      }
      for (d = 0; d < n; d++) { if (found[d] >= 0) { out.push({ ix: ix, dep: d, w: found[d] }); } }
    });
    out.sort(function (a, b) {
      return b.w - a.w || (a.ix.slug < b.ix.slug ? -1 : a.ix.slug > b.ix.slug ? 1 : a.dep - b.dep);
    });
    return out;
  }

  // The source of a district's file `name` (`w3`, `f`, `d12`), beside its manifest.
  function fileOf(list, slug, name) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].slug === slug) { return list[i].src.replace(/\.js$/, "/") + name + ".js"; }
    }
    return null;
  }

  // The bundle holding a candidate's record (with its neighbours'), as "<slug>/<n>".
  function bundleOf(c) { return c.ix.slug + "/" + (c.ix.bundle ? Math.floor(c.dep / c.ix.bundle) : "d" + c.dep); }

  // The files of the records of `chosen`: a bundle where three quarters of its records or
  // more are needed, else each record's own file (a file costs about 3 ms, a record 3 KB: a
  // first query's bytes stay under 300 KB at 20,000 departments).
  function recordFiles(list, chosen) {
    var by = {}, order = [];
    chosen.forEach(function (c) {
      var k = bundleOf(c);
      if (!by[k]) { by[k] = []; order.push(k); }
      by[k].push(c);
    });
    var out = [];
    order.forEach(function (k) {
      var cs = by[k], ix = cs[0].ix;
      if (ix.bundle && 4 * cs.length >= 3 * ix.bundle) {
        out.push(fileOf(list, ix.slug, "b" + Math.floor(cs[0].dep / ix.bundle)));
      } else {
        cs.forEach(function (c) { out.push(fileOf(list, ix.slug, "d" + c.dep)); });
      }
    });
    return out;
  }

  // The first `cap` of the candidates `cands` (the likeliest first). Where the cap cuts
  // through candidates of equal weight, those whose bundle is already to be loaded come first,
  // then whole bundles in the order of their first candidate: a browser pays per file it
  // loads, and which of equal candidates are ranked is arbitrary anyway. In the order of
  // `cands`.
  function pick(cands, cap) {
    if (cands.length <= cap) { return cands; }
    var out = [], files = {}, i = 0, j, k;
    function bundle(c) { return c.ix.bundle ? Math.floor(c.dep / c.ix.bundle) : -1 - c.dep; }
    function has(c) { var f = files[c.ix.slug]; return !!f && f[bundle(c)] === true; }
    function note(c) { (files[c.ix.slug] = files[c.ix.slug] || {})[bundle(c)] = true; }
    while (out.length < cap && i < cands.length) {
      for (j = i; j < cands.length && cands[j].w === cands[i].w; j++) { /* the group of equal weight */ }
      var take = [];
      if (out.length + j - i <= cap) {
        for (k = i; k < j; k++) { take.push(k); }
      } else {
        // Those of bundles already needed, then the rest in order, which takes whole bundles:
        // a bundle's departments are neighbours in `cands`.
        var taken = {};
        for (k = i; k < j && out.length + take.length < cap; k++) {
          if (has(cands[k])) { take.push(k); taken[k] = true; }
        }
        for (k = i; k < j && out.length + take.length < cap; k++) {
          if (!taken[k]) { take.push(k); }
        }
        take.sort(function (a, b) { return a - b; });
      }
      take.forEach(function (at) { out.push(cands[at]); note(cands[at]); });
      i = j;
    }
    return out;
  }

  // Searches the districts `list` ([{slug, src}]): loads their manifests, the chunks the
  // query needs, then the records of the first `cap` candidates; ranks those and calls
  // done(results, {candidates, ranked, failed}).
  function search(q, list, filters, cap, done) {
    load(list, function () {
      var terms = q.toLowerCase().split(/[\s,，、;；]+/).filter(Boolean);
      var lineFilter = !!(filters.category || filters.vague);
      var need = [];
      list.forEach(function (s) {
        var ix = shards[s.slug];
        if (!ix || !ix.chunkOf) { return; }
        var names = {};
        terms.forEach(function (t) {
          for (var i = 0; i < Math.max(1, t.length - 1); i++) {
            var c = ix.chunkOf[t.substr(i, 2)] || ix.chunkOf[t.charAt(i)];
            if (c) { names[c] = true; }
          }
          if (t.length === 1) { (ix.splitOf[t] || []).forEach(function (c) { names[c] = true; }); }
          names["x" + (fnv(t) % ix.xn)] = true;
        });
        if (!terms.length && lineFilter) { names.f = true; }
        if (filters.year || terms.some(function (t) { return term(t).year; })) { names.y = true; }
        Object.keys(names).sort().forEach(function (n) { need.push(fileOf(list, s.slug, n)); });
      });
      loadScripts(need, function () {
        var slugs = list.map(function (s) { return s.slug; });
        var cands = candidates(q, slugs, filters);
        var chosen = pick(cands, cap);
        loadScripts(recordFiles(list, chosen), function () {
          var failed = list.filter(function (s) { return scripts[s.src] === "failed"; }).length;
          done(rank(q, chosen, filters), { candidates: cands.length, ranked: chosen.length, failed: failed });
        });
      });
    });
  }

  // Ranks the candidate departments `chosen` ([{ix, dep}], their records loaded) for query q
  // and filters {year, category, vague}: [{ix, dep, score, docs: [{doc, score, lines}]}],
  // best first.
  function rank(q, chosen, filters) {
    var terms = parse(q);
    var lineFilter = !!(filters.category || filters.vague);
    if (!terms.length && !lineFilter) { return []; }
    var out = [];
    chosen.forEach(function (c) {
      var ix = c.ix, docs = ix.docs[c.dep];
      if (!docs) { return; }
      var cat = filters.category ? ix.l1.indexOf(filters.category) : -2;
      if (filters.category && cat < 0) { return; }
      var entry = null;
      docs.forEach(function (doc) {
        if (filters.year && doc[1] !== filters.year) { return; }
        var lines = doc[4], ok = [], i, k;
        for (i = 0; i < lines.length; i++) {
          var l = lines[i];
          if (lineFilter && (l[0] < 0 || (cat >= 0 && l[0] !== cat) || (filters.vague && !l[3]))) { continue; }
          ok.push(i);
        }
        if (lineFilter && !ok.length) { return; }
        var dep = ix.deps[doc[0]], total = 0, shown = {};
        for (k = 0; k < terms.length; k++) {
          var t = terms[k];
          var best = Math.max(1.2 * score(t, dep.low), score(t, doc.low));
          if (t.year && doc[1] === t.year) { best = Math.max(best, 1); }
          for (i = 0; i < ok.length; i++) {
            var line = lines[ok[i]];
            var s = Math.max(0.9 * score(t, line.n), 0.7 * score(t, line.t));
            if (s > 0) { shown[ok[i]] = true; }
            if (s > best) { best = s; }
          }
          if (best === 0) { return; }
          total += best;
        }
        var hits = Object.keys(shown).map(Number).sort(function (a, b) { return a - b; });
        if (!terms.length) { hits = ok; total = ok.length; }
        if (lineFilter && terms.length && !hits.length) { return; }
        if (!entry) { entry = { ix: ix, dep: doc[0], docs: [] }; }
        entry.docs.push({ doc: doc, score: total, lines: hits });
      });
      if (!entry) { return; }
      entry.docs.sort(function (a, b) { return b.score - a.score || b.doc[1] - a.doc[1]; });
      var rest = 0;
      for (var i = 1; i < entry.docs.length; i++) { rest += entry.docs[i].score; }
      entry.score = entry.docs[0].score + Math.min(0.05 * rest, 0.5);
      out.push(entry);
    });
    out.sort(function (a, b) {
      if (b.score !== a.score) { return b.score - a.score; }
      var x = a.ix.deps[a.dep][0], y = b.ix.deps[b.dep][0];
      return x < y ? -1 : x > y ? 1 : (a.ix.slug < b.ix.slug ? -1 : a.ix.slug > b.ix.slug ? 1 : 0);
    });
    return out;
  }

  // The text with every match of the terms in <mark>, as DOM nodes (never HTML strings).
  function highlight(text, terms) {
    var frag = document.createDocumentFragment();
    var low = text.toLowerCase();
    var on = [];
    if (low.length === text.length) {
      terms.forEach(function (t) {
        [t.text].concat(t.words, t.bigrams).forEach(function (u) {
          if (!u) { return; }
          for (var at = low.indexOf(u); at >= 0; at = low.indexOf(u, at + 1)) {
            for (var i = at; i < at + u.length; i++) { on[i] = true; }
          }
        });
      });
    }
    var i = 0;
    while (i < text.length) {
      var j = i;
      while (j < text.length && !!on[j] === !!on[i]) { j++; }
      var part = document.createTextNode(text.slice(i, j));
      if (on[i]) { var m = document.createElement("mark"); m.appendChild(part); frag.appendChild(m); } else { frag.appendChild(part); }
      i = j;
    }
    return frag;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  var PAGE = 30;

  function render(box, results, terms, root, limit) {
    box.textContent = "";
    var groups = [], bySlug = {};
    results.slice(0, limit).forEach(function (r) {
      var g = bySlug[r.ix.slug];
      if (!g) { g = bySlug[r.ix.slug] = { ix: r.ix, items: [] }; groups.push(g); }
      g.items.push(r);
    });
    groups.forEach(function (g) {
      var sec = el("section", "district-hits");
      var h = el("h2");
      var a = el("a", null, g.ix.district);
      a.href = root + g.ix.href;
      h.appendChild(a);
      sec.appendChild(h);
      var ol = el("ol");
      g.items.forEach(function (r) {
        var dep = r.ix.deps[r.dep];
        var li = el("li", "hit");
        li.setAttribute("data-department", dep[0]);
        var h3 = el("h3"), link = el("a");
        link.href = root + dep[1];
        link.appendChild(highlight(dep[0], terms));
        h3.appendChild(link);
        li.appendChild(h3);
        var ul = el("ul");
        r.docs.slice(0, 3).forEach(function (d) {
          var doc = d.doc, item = el("li");
          var ga = el("a");
          ga.href = root + dep[1] + "#" + doc[2];
          ga.appendChild(document.createTextNode(doc[1] + "年 · "));
          ga.appendChild(highlight(doc[3], terms));
          item.appendChild(ga);
          d.lines.slice(0, 3).forEach(function (n) {
            var line = doc[4][n], p = el("div", "line");
            if (line[0] >= 0) { p.appendChild(document.createTextNode(r.ix.l1[line[0]] + "：")); }
            p.appendChild(highlight(line[1], terms));
            if (line[2]) {
              p.appendChild(document.createTextNode(" — "));
              p.appendChild(highlight(line[2], terms));
            }
            if (line[0] >= 0 && line[3]) { p.appendChild(el("span", "badge warn", "无数字")); }
            item.appendChild(p);
          });
          if (d.lines.length > 3) { item.appendChild(el("div", "line rest", "…另有 " + (d.lines.length - 3) + " 项")); }
          ul.appendChild(item);
        });
        if (r.docs.length > 3) { ul.appendChild(el("li", "line rest", "…另有 " + (r.docs.length - 3) + " 处")); }
        li.appendChild(ul);
        ol.appendChild(li);
      });
      sec.appendChild(ol);
      box.appendChild(sec);
    });
  }

  function searchPage(form) {
    var q = form.querySelector("#q"), fd = form.querySelector("#f-d"), fy = form.querySelector("#f-y");
    var fc = form.querySelector("#f-c"), fv = form.querySelector("#f-v");
    var status = document.getElementById("search-status");
    var box = document.getElementById("search-results");
    var root = "";
    var params = new URLSearchParams(location.search);
    q.value = params.get("q") || "";
    if (params.get("d")) { fd.value = params.get("d"); }
    if (params.get("y")) { fy.value = params.get("y"); }
    if (params.get("c")) { fc.value = params.get("c"); }
    fv.checked = params.get("vague") === "1";
    var limit = PAGE, timer = null, seq = 0;
    var quiet = 0;             // before this time a change waits for the burst to end
    var shown = "?" + new URLSearchParams(new FormData(form)).toString();  // the form last searched

    function chosen() {
      var opts = Array.prototype.slice.call(fd.options).filter(function (o) {
        return o.value && (!fd.value || o.value === fd.value);
      });
      return opts.map(function (o) { return { slug: o.value, src: o.getAttribute("data-index") }; });
    }
    function run(started) {
      var mine = ++seq;
      var list = chosen();
      var filters = { year: fy.value ? +fy.value : null, category: fc.value, vague: fv.checked };
      if (!q.value.trim() && !filters.category && !filters.vague) {
        box.textContent = ""; status.textContent = ""; box.removeAttribute("data-state");
        return;
      }
      box.setAttribute("data-state", "loading");
      search(q.value, list, filters, Math.max(CAP, limit), function (results, info) {
        if (mine !== seq) { return; }
        var terms = parse(q.value);
        render(box, results, terms, root, limit);
        var districts = {};
        results.forEach(function (r) { districts[r.ix.slug] = true; });
        var n = Object.keys(districts).length;
        var rest = info.candidates - info.ranked;
        status.textContent = (results.length
          ? "找到 " + results.length + " 个部门" + (n > 1 ? "，分属 " + n + " 个区县" : "") +
            (results.length > limit ? "，显示前 " + limit + " 个" : "")
          : "没有找到符合条件的部门。可以换个说法，或减少筛选条件。") +
          (rest > 0 ? "（先比较了最可能相关的 " + info.ranked + " 个部门，另有 " + rest + " 个待比较）" : "") +
          (info.failed ? "（有 " + info.failed + " 个区县的索引未能加载）" : "");
        if (results.length > limit || rest > 0) {
          var more = el("button", "more", "显示更多");
          more.type = "button";
          more.addEventListener("click", function () { limit += PAGE; run(); });
          box.appendChild(more);
        }
        box.setAttribute("data-state", "done");
        if (started) { box.setAttribute("data-ms", String(Math.round(performance.now() - started))); }
      });
    }
    // The first change after a pause searches at once; a change within 60 ms of the one before
    // (keys typed in a burst, a pasted word's events) waits until the burst ends, so one
    // search answers it. Any change makes the results of a search still loading stale.
    // While an input method composes, the box holds its spelling (`zhigong`), not the words:
    // the search waits for the composed text (compositionend).
    function changed(e) {
      if (e && e.isComposing) { return; }
      var url = "?" + new URLSearchParams(new FormData(form)).toString();
      if (url === shown) { return; }
      shown = url;
      limit = PAGE;
      try { history.replaceState(null, "", url); } catch (err) { /* some file:// views refuse */ }
      var started = performance.now();
      clearTimeout(timer);
      seq += 1;
      if (started >= quiet) {
        run(started);
      } else {
        if (q.value.trim() || fc.value || fv.checked) { box.setAttribute("data-state", "waiting"); }
        timer = setTimeout(function () { run(started); }, 60);
      }
      quiet = started + 60;
    }
    q.addEventListener("input", changed);
    q.addEventListener("compositionend", changed);
    [fd, fy, fc, fv].forEach(function (f) { f.addEventListener("change", changed); });
    q.addEventListener("focus", function () { load(chosen(), function () {}); });
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(performance.now()); });
    run(performance.now());
  }

  // The header box: from a page inside a district folder, search that district first.
  function headerBox(form) {
    var action = form.getAttribute("action") || "";
    var up = (action.match(/\.\.\//g) || []).length;
    if (up < 1) { return; }
    var parts = location.pathname.split("/");
    var slug = parts[parts.length - 1 - up];
    // District folders are their names in pinyin (`shi-li-qu`).
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug || "")) { return; }
    var hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = "d"; hidden.value = slug;
    form.appendChild(hidden);
  }

  window.BudgetSearch = {
    manifest: manifest, chunk: chunk, part: part,
    load: load, search: search, district: function (slug) { return shards[slug]; }, candidates: candidates, rank: rank, parse: parse,
    pick: pick, recordFiles: recordFiles
  };
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("search-form");
    if (form) { searchPage(form); }
    Array.prototype.forEach.call(document.querySelectorAll("form.site-search"), headerBox);
  });
})();
