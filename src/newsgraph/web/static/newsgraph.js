/* newsgraph article page: layer toggles, tooltips, flag evidence.
   Plain JavaScript, no build step, no external resources. Data comes only from
   data-* attributes and the <script type="application/json" id="ng-data"> block;
   everything shown is set with textContent, never parsed as HTML. */
(function () {
  "use strict";

  var LABELS = { entity: "Entity", quote: "Quote", claim: "Claim", timex: "Time expression" };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function readData() {
    var node = document.getElementById("ng-data");
    if (!node) return null;
    try {
      return JSON.parse(node.textContent || "{}");
    } catch (err) {
      return null;
    }
  }

  function initToggles(textBox) {
    var toggles = document.querySelectorAll("input.ng-toggle");
    Array.prototype.forEach.call(toggles, function (box) {
      var layer = box.getAttribute("data-layer");
      var apply = function () {
        textBox.classList.toggle("ng-hide-" + layer, !box.checked);
      };
      box.addEventListener("change", apply);
      apply(); /* the browser may restore a box's state on back navigation */
    });
  }

  function isShown(textBox, layer) {
    return !textBox.classList.contains("ng-hide-" + layer);
  }

  function dl(rows) {
    var list = el("dl");
    rows.forEach(function (row) {
      if (row[1] === undefined || row[1] === null || row[1] === "") return;
      list.appendChild(el("dt", null, row[0]));
      var dd = el("dd");
      if (row[1] instanceof Node) dd.appendChild(row[1]);
      else dd.textContent = String(row[1]);
      list.appendChild(dd);
    });
    return list;
  }

  function part(kind, head) {
    var box = el("div", "ng-tip-part");
    box.appendChild(el("div", "ng-tip-kind", kind));
    if (head) box.appendChild(el("div", "ng-tip-head", head));
    return box;
  }

  function entityPart(data, id) {
    var e = data.entities && data.entities[id];
    if (!e) return null;
    var box = part(LABELS.entity + " · " + e.label, e.name);
    var rows = [];
    if (e.kb_id && e.href) {
      var link = el("a", "ng-entity-link", e.kb_id);
      link.setAttribute("href", e.href);
      rows.push(["KB", link]);
    } else {
      rows.push(["KB", "not in the knowledge base"]);
    }
    (e.facts || []).forEach(function (f) { rows.push([f[0], f[1]]); });
    box.appendChild(dl(rows));
    return box;
  }

  function quotePart(data, id) {
    var q = data.quotes && data.quotes[id];
    if (!q) return null;
    var box = part(LABELS.quote + " (" + q.kind + ")", q.speaker);
    box.appendChild(dl([["Source", q.source_label]]));
    return box;
  }

  function claimPart(data, id) {
    var c = data.claims && data.claims[id];
    if (!c) return null;
    var box = part(LABELS.claim, c.kind);
    box.appendChild(dl([["Check-worthiness", Number(c.score).toFixed(2) + " (" + c.bucket + ")"]]));
    return box;
  }

  function timexPart(data, index) {
    var t = data.timexes && data.timexes[Number(index)];
    if (!t) return null;
    var box = part(LABELS.timex + " · " + t.type, t.value);
    box.appendChild(dl([["Refers to", t.refers_to], ["Modifier", t.mod]]));
    return box;
  }

  function initTips(textBox, data) {
    var tip = document.getElementById("ng-tip");
    if (!tip || !data) return;
    var current = null;
    var hideTimer = null;

    function fill(mark) {
      var parts = [];
      var layers = (mark.getAttribute("data-layers") || "").split(" ");
      layers.forEach(function (layer) {
        if (!isShown(textBox, layer)) return;
        var p = null;
        if (layer === "entity") p = entityPart(data, mark.getAttribute("data-entity"));
        else if (layer === "quote") p = quotePart(data, mark.getAttribute("data-quote"));
        else if (layer === "claim") p = claimPart(data, mark.getAttribute("data-claim"));
        else if (layer === "timex") p = timexPart(data, mark.getAttribute("data-timex"));
        if (p) parts.push(p);
      });
      while (tip.firstChild) tip.removeChild(tip.firstChild);
      parts.forEach(function (p) { tip.appendChild(p); });
      return parts.length > 0;
    }

    function place(mark) {
      var rects = mark.getClientRects();
      var r = rects.length ? rects[0] : mark.getBoundingClientRect();
      var sx = window.pageXOffset, sy = window.pageYOffset;
      tip.style.left = "0px";
      tip.style.top = "0px";
      var width = tip.offsetWidth, height = tip.offsetHeight;
      var left = Math.max(4, Math.min(r.left + sx, sx + document.documentElement.clientWidth - width - 4));
      var top = r.bottom + sy + 6;
      if (r.bottom + height + 12 > window.innerHeight && r.top - height - 6 > 0) top = r.top + sy - height - 6;
      tip.style.left = left + "px";
      tip.style.top = top + "px";
    }

    function show(mark) {
      clearTimeout(hideTimer);
      if (!fill(mark)) { hide(); return; }
      current = mark;
      tip.hidden = false;
      place(mark);
      mark.setAttribute("aria-describedby", "ng-tip");
    }

    function hide() {
      clearTimeout(hideTimer);
      if (current) current.removeAttribute("aria-describedby");
      current = null;
      tip.hidden = true;
    }

    function hideSoon() {
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hide, 200);
    }

    textBox.addEventListener("mouseover", function (ev) {
      var mark = ev.target.closest ? ev.target.closest(".ng-mark") : null;
      if (mark && mark !== current) show(mark);
      else if (mark) clearTimeout(hideTimer);
    });
    textBox.addEventListener("mouseout", function (ev) {
      var to = ev.relatedTarget;
      if (to && (to === tip || tip.contains(to))) return;
      if (to && to.closest && to.closest(".ng-mark")) return;
      hideSoon();
    });
    tip.addEventListener("mouseover", function () { clearTimeout(hideTimer); });
    tip.addEventListener("mouseout", function (ev) {
      var to = ev.relatedTarget;
      if (to && (tip.contains(to) || (to.closest && to.closest(".ng-mark") === current))) return;
      hideSoon();
    });
    textBox.addEventListener("focusin", function (ev) {
      var mark = ev.target.closest ? ev.target.closest(".ng-mark") : null;
      if (mark) show(mark);
    });
    textBox.addEventListener("focusout", function (ev) {
      var to = ev.relatedTarget;
      if (to && tip.contains(to)) return;
      hideSoon();
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && !tip.hidden) hide();
    });
    window.addEventListener("resize", function () { if (current) place(current); });
    Array.prototype.forEach.call(document.querySelectorAll("input.ng-toggle"), function (box) {
      box.addEventListener("change", function () { if (current) show(current); });
    });
  }

  function initFlags(textBox) {
    var list = document.getElementById("ng-flags");
    if (!list) return;

    function activate(item) {
      var index = item.getAttribute("data-flag");
      Array.prototype.forEach.call(document.querySelectorAll(".ng-ev-active"), function (n) {
        n.classList.remove("ng-ev-active");
      });
      Array.prototype.forEach.call(list.querySelectorAll(".ng-flag"), function (n) {
        n.classList.toggle("ng-flag-active", n === item);
        n.setAttribute("aria-pressed", n === item ? "true" : "false");
      });
      var hits = textBox.querySelectorAll('[data-flags~="' + String(Number(index)) + '"]');
      Array.prototype.forEach.call(hits, function (n) { n.classList.add("ng-ev-active"); });
      if (hits.length) {
        var smooth = !window.matchMedia || !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        hits[0].scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
      }
    }

    list.addEventListener("click", function (ev) {
      var item = ev.target.closest ? ev.target.closest(".ng-flag") : null;
      if (item) activate(item);
    });
    list.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter" && ev.key !== " " && ev.key !== "Spacebar") return;
      var item = ev.target.closest ? ev.target.closest(".ng-flag") : null;
      if (!item) return;
      ev.preventDefault();
      activate(item);
    });
  }

  function init() {
    var textBox = document.getElementById("ng-text");
    if (!textBox) return;
    initToggles(textBox);
    initTips(textBox, readData());
    initFlags(textBox);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
