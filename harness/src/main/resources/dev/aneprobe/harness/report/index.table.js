// Included by index.template.html and index.adaptive.html where they say "// @@INCLUDE index.table.js@@" (see
// HtmlFormat): a table of the given header cells and row elements, needing el() from index.dom.js.
  function table(headers, rows, cls) {
    var t = el("table", cls ? { "class": cls } : null);
    t.appendChild(el("thead", null, [el("tr", null, headers.map(function (h) { return el("th", null, [h]); }))]));
    var tb = el("tbody");
    rows.forEach(function (r) { tb.appendChild(r); });
    t.appendChild(tb);
    return t;
  }
