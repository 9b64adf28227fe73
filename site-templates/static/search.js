// Search (issue 13). The header box is a plain form to search.html, so it works without
// JavaScript (that page then lists the district tables). On search.html this script loads the
// index of the chosen district(s) — search/<district>.js, each calling BudgetSearch.add — by
// <script> (fetch() is refused on file://), only once the reader searches, and ranks in the
// page. The build segments the text with jieba and gives each index its vocabulary; a query is
// split into those words and also matched by character bigrams, so "职工帮扶" finds
// "困难职工帮扶" and "助学金" finds "金秋助学".
(function () {
  "use strict";
  var shards = {};          // slug → index, once loaded
  var loading = {};         // slug → [callbacks] while its script loads
  var failed = {};
  var words = {};           // vocabulary of every loaded index
  var maxWord = 1;
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

  function add(ix) {
    ix.words.split(" ").forEach(function (w) {
      if (w) { words[w] = true; if (w.length > maxWord) { maxWord = w.length; } }
    });
    ix.deps.forEach(function (d) { d.low = d[0].toLowerCase(); });
    ix.docs.forEach(function (doc) {
      doc.low = doc[3].toLowerCase();
      doc[4].forEach(function (l) { l.n = l[1].toLowerCase(); l.t = l[2].toLowerCase(); });
    });
    shards[ix.slug] = ix;
    var waiting = loading[ix.slug] || [];
    delete loading[ix.slug];
    waiting.forEach(function (f) { f(); });
  }

  // Loads the indexes `list` ([{slug, src}]) by <script>; calls done() when all are there.
  function load(list, done) {
    var left = 0;
    function one() { left -= 1; if (left === 0) { done(); } }
    list.forEach(function (s) {
      if (shards[s.slug] || failed[s.slug]) { return; }
      left += 1;
      if (loading[s.slug]) { loading[s.slug].push(one); return; }
      loading[s.slug] = [one];
      var el = document.createElement("script");
      el.src = s.src;
      el.async = true;
      el.onerror = function () {
        failed[s.slug] = true;
        var waiting = loading[s.slug] || [];
        delete loading[s.slug];
        waiting.forEach(function (f) { f(); });
      };
      document.head.appendChild(el);
    });
    if (left === 0) { done(); }
  }

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

  // Ranks the departments of the loaded indexes `slugs` for query q and filters
  // {year, category, vague}: [{ix, dep, score, docs: [{doc, score, lines}]}], best first.
  function rank(q, slugs, filters) {
    var terms = parse(q);
    var lineFilter = !!(filters.category || filters.vague);
    if (!terms.length && !lineFilter) { return []; }
    var out = [];
    slugs.forEach(function (slug) {
      var ix = shards[slug];
      if (!ix) { return; }
      var cat = filters.category ? ix.l1.indexOf(filters.category) : -2;
      if (filters.category && cat < 0) { return; }
      var byDep = {};
      ix.docs.forEach(function (doc) {
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
        var entry = byDep[doc[0]];
        if (!entry) { entry = byDep[doc[0]] = { ix: ix, dep: doc[0], docs: [] }; }
        entry.docs.push({ doc: doc, score: total, lines: hits });
      });
      Object.keys(byDep).forEach(function (k) {
        var e = byDep[k];
        e.docs.sort(function (a, b) { return b.score - a.score || b.doc[1] - a.doc[1]; });
        var rest = 0;
        for (var i = 1; i < e.docs.length; i++) { rest += e.docs[i].score; }
        e.score = e.docs[0].score + Math.min(0.05 * rest, 0.5);
        out.push(e);
      });
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
      load(list, function () {
        if (mine !== seq) { return; }
        var slugs = list.map(function (s) { return s.slug; });
        var results = rank(q.value, slugs, filters);
        var terms = parse(q.value);
        render(box, results, terms, root, limit);
        var districts = {};
        results.forEach(function (r) { districts[r.ix.slug] = true; });
        var n = Object.keys(districts).length;
        var missing = list.filter(function (s) { return failed[s.slug]; }).length;
        status.textContent = (results.length
          ? "找到 " + results.length + " 个部门" + (n > 1 ? "，分属 " + n + " 个区县" : "") +
            (results.length > limit ? "，显示前 " + limit + " 个" : "")
          : "没有找到符合条件的部门。可以换个说法，或减少筛选条件。") +
          (missing ? "（有 " + missing + " 个区县的索引未能加载）" : "");
        if (results.length > limit) {
          var more = el("button", "more", "显示更多");
          more.type = "button";
          more.addEventListener("click", function () { limit += PAGE; run(); });
          box.appendChild(more);
        }
        box.setAttribute("data-state", "done");
        if (started) { box.setAttribute("data-ms", String(Math.round(performance.now() - started))); }
      });
    }
    function changed() {
      limit = PAGE;
      var url = "?" + new URLSearchParams(new FormData(form)).toString();
      try { history.replaceState(null, "", url); } catch (e) { /* some file:// views refuse */ }
      var started = performance.now();
      clearTimeout(timer);
      timer = setTimeout(function () { run(started); }, 60);
    }
    q.addEventListener("input", changed);
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

  window.BudgetSearch = { add: add, load: load, rank: rank, parse: parse };
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("search-form");
    if (form) { searchPage(form); }
    Array.prototype.forEach.call(document.querySelectorAll("form.site-search"), headerBox);
  });
})();
