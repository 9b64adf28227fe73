// Sortable tables, as progressive enhancement: without JavaScript the tables read as printed.
// Header cells with data-sort="text|number" become buttons; cells may carry data-value.
(function () {
  "use strict";
  function key(cell, numeric) {
    var v = cell.getAttribute("data-value");
    if (v === null) { v = cell.textContent.trim(); }
    if (!numeric) { return v; }
    var n = parseFloat(v.replace(/[,%\s]/g, ""));
    return isNaN(n) ? -Infinity : n;
  }
  function sortBy(table, th, index, numeric) {
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var ths = table.tHead.rows[0].cells;
    for (var i = 0; i < ths.length; i++) { ths[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[index], numeric), y = key(b.cells[index], numeric);
      var c = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var tables = document.querySelectorAll("table.sortable");
    Array.prototype.forEach.call(tables, function (table) {
      if (!table.tHead || !table.tBodies.length) { return; }
      var ths = table.tHead.rows[0].cells;
      Array.prototype.forEach.call(ths, function (th, index) {
        var kind = th.getAttribute("data-sort");
        if (!kind) { return; }
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, th, index, kind === "number"); });
      });
    });
  });
})();
// Folded sections (an earlier year's form, a chart's numbers) open when a link leads into them
// and before printing, so nothing is hidden from a reader who asks for it or from paper.
(function () {
  "use strict";
  function openTo(id) {
    var el = id && document.getElementById(decodeURIComponent(id));
    for (; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
  }
  function fromHash() { openTo(location.hash.slice(1)); }
  document.addEventListener("DOMContentLoaded", fromHash);
  window.addEventListener("hashchange", fromHash);
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
})();
