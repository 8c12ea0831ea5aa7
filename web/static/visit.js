// ebazhao counter workbench (臨櫃服務): keyboard first. The command palette
// (Ctrl+K or F2), the in-visit Alt shortcuts, focus that lands on the next input,
// quick ticking of agencies by number. Every control also works without it.
(function () {
  "use strict";
  var visit = document.getElementById("visit");
  var vid = visit ? visit.getAttribute("data-visit") : "";
  var idno = visit ? visit.getAttribute("data-idno") : "";
  var isOpen = visit ? visit.getAttribute("data-open") === "1" : false;
  var work = document.getElementById("work");

  function focusEl(el) {
    if (!el) return false;
    el.focus();
    if (el.select && el.tagName === "INPUT" && el.type !== "checkbox" && el.value) el.select();
    return document.activeElement === el;
  }

  // Focus lands on the panel's next input: the element marked data-autofocus,
  // else its first field, else the panel itself.
  function focusPanel() {
    if (!work) return;
    var el = work.querySelector("[data-autofocus]") ||
      work.querySelector("input:not([type=hidden]):not([disabled]), select, textarea, button, a.button");
    if (!focusEl(el)) work.focus();
  }

  function openPanel(name) {
    if (!work || !vid || !window.htmx) return;
    htmx.ajax("GET", "/visits/" + vid + "/" + name, { target: "#work", swap: "innerHTML" });
  }

  function changed() {
    if (window.htmx) htmx.trigger(document.body, "visit-changed");
  }

  function endVisit() {
    var f = document.getElementById("end-form");
    if (f) f.requestSubmit();
  }

  function go(url) { window.location.href = url; }

  // ---- the command palette ----
  var dlg = document.getElementById("palette");
  var q = document.getElementById("pal-q");
  var items = dlg ? Array.prototype.slice.call(dlg.querySelectorAll("li[role=option]")) : [];
  var count = document.getElementById("pal-count");
  var sel = -1, lastFocus = null;

  function visibleItems() { return items.filter(function (li) { return !li.hidden; }); }

  function select(li) {
    items.forEach(function (x) { x.setAttribute("aria-selected", "false"); });
    sel = li ? items.indexOf(li) : -1;
    if (li) {
      li.setAttribute("aria-selected", "true");
      q.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView({ block: "nearest" });
    } else {
      q.removeAttribute("aria-activedescendant");
    }
  }

  function filter() {
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var n = 0, first = null;
    items.forEach(function (li) {
      var words = li.getAttribute("data-words").toLowerCase();
      var ok = terms.every(function (t) { return words.indexOf(t) >= 0; });
      li.hidden = !ok;
      if (ok) { n++; if (!first) first = li; }
    });
    select(first);
    if (count) count.textContent = n ? n + " 項符合" : "沒有符合的功能";
  }

  function moveSel(d) {
    var vis = visibleItems();
    if (!vis.length) return;
    var i = vis.indexOf(items[sel]);
    i = (i + d + vis.length) % vis.length;
    select(vis[i]);
  }

  function openPalette(text) {
    if (!dlg || dlg.open) return;
    lastFocus = document.activeElement;
    q.value = text ? text + " " : "";
    filter();
    dlg.showModal();
    q.focus();
    q.setSelectionRange(q.value.length, q.value.length);
  }

  function run(li) {
    if (!li) return;
    dlg.close();
    var panel = li.getAttribute("data-panel"), href = li.getAttribute("data-href");
    var kind = li.getAttribute("data-kind"), cmd = li.getAttribute("data-cmd");
    if (panel) openPanel(panel);
    else if (kind) {
      var s = document.getElementById("kind");
      if (s) { s.value = kind; document.getElementById("kind-form").requestSubmit(); }
    } else if (cmd === "end") endVisit();
    else if (href) go(href);
  }

  if (dlg) {
    q.addEventListener("input", filter);
    q.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); moveSel(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); moveSel(-1); }
      else if (e.key === "Enter") { e.preventDefault(); run(items[sel]); }
    });
    dlg.addEventListener("click", function (e) {
      var li = e.target.closest("li[role=option]");
      if (li) run(li);
      else if (e.target === dlg) dlg.close();
    });
    dlg.addEventListener("close", function () {
      if (lastFocus && document.contains(lastFocus) && !work.contains(document.activeElement)) lastFocus.focus();
    });
  }

  // ---- shortcuts on the visit screen (they act for the visit's citizen) ----
  var altActions = {
    K: function () { var k = visit.getAttribute("data-agency-kind"); openPanel("agency" + (k ? "?kind=" + k : "")); },
    T: function () { var t = visit.getAttribute("data-tips"); openPanel("tips" + (t ? "?cat=" + t : "")); },
    F: function () { openPanel("fees"); },
    N: function () { openPalette("文書"); },
    C: function () { openPalette("計算"); },
    R: function () { openPalette("表單"); },
    G: function () { go("/seals/p/" + idno); },
    A: function () { go("/archive?id_no=" + idno + "&go=1"); },
    P: function () { go("/persons/" + idno); },
    X: endVisit
  };
  var needsOpen = { K: true, T: true, F: true, X: true };

  if (visit && vid) {
    window.addEventListener("keydown", function (e) {
      if (dlg && dlg.open) return;
      if ((e.ctrlKey && !e.altKey && !e.metaKey && (e.key === "k" || e.key === "K")) || (e.key === "F2" && !e.ctrlKey && !e.altKey)) {
        e.preventDefault(); e.stopImmediatePropagation(); openPalette(""); return;
      }
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        var k = e.code && e.code.indexOf("Key") === 0 ? e.code.slice(3) : (e.key || "").toUpperCase();
        var act = altActions[k];
        if (act && (isOpen || !needsOpen[k])) { e.preventDefault(); e.stopImmediatePropagation(); act(); }
      }
    }, true);
    var pb = document.getElementById("open-palette");
    if (pb) pb.addEventListener("click", function () { openPalette(""); });
  }

  // Buttons and links that open a panel of the visit screen, and visit commands.
  document.addEventListener("click", function (e) {
    var t = e.target.closest ? e.target.closest("[data-open-panel], [data-cmd]") : null;
    if (!t || !vid) return;
    e.preventDefault();
    if (t.hasAttribute("data-open-panel")) openPanel(t.getAttribute("data-open-panel"));
    else if (t.getAttribute("data-cmd") === "end") endVisit();
  });

  document.body.addEventListener("htmx:afterSettle", function (e) {
    if (e.detail && e.detail.target === work) {
      focusPanel();
      var pick = document.getElementById("agency-pick");
      if (pick && pick.value) tick(pick);
    }
  });

  // ---- agencies ticked by their numbers (N加e panel) ----
  function parsePick(s) {
    var out = {};
    s.split(/[\s,，、+　]+/).forEach(function (part) {
      var m = /^(\d+)(?:-(\d+))?$/.exec(part);
      if (!m) return;
      var a = +m[1], b = m[2] ? +m[2] : a;
      for (var n = a; n <= b && n - a < 200; n++) out[n] = true;
    });
    return out;
  }

  function tick(input) {
    var form = input.form, want = parsePick(input.value), names = [];
    form.querySelectorAll("input[data-n]").forEach(function (cb) {
      if (cb.getAttribute("data-manual") !== "1") cb.checked = !!want[cb.getAttribute("data-n")];
      if (cb.checked) names.push(cb.labels && cb.labels[0] ? cb.labels[0].textContent.replace(/^\d+\.\s*/, "") : cb.value);
    });
    var c = document.getElementById("pick-count");
    if (c) c.textContent = names.length ? "已勾選 " + names.length + " 個機關：" + names.slice(0, 4).join("、") + (names.length > 4 ? "…" : "") : "尚未勾選機關";
  }

  document.addEventListener("input", function (e) {
    if (e.target.id === "agency-pick") tick(e.target);
  });
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.hasAttribute && t.hasAttribute("data-n")) {
      t.setAttribute("data-manual", "1");
      var pick = document.getElementById("agency-pick");
      if (pick) tick(pick);
    }
  });

  // An account number the ticked agency needs and that is still empty.
  function missingAccount(form) {
    var boxes = form.querySelectorAll("input[data-n]:checked");
    for (var i = 0; i < boxes.length; i++) {
      var acct = boxes[i].parentNode.querySelector("input[data-required]");
      if (acct && !acct.value.trim()) return acct;
    }
    return null;
  }

  // ---- Enter moves to the next input; Ctrl+Enter submits ----
  function fieldsOf(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([data-n]), select"))
      .filter(function (el) { return !el.disabled && el.offsetParent !== null && !el.classList.contains("acct"); });
  }

  // A keydown whose Enter was taken here must not also submit through the
  // keypress that some keyboards (and synthetic input) still deliver.
  var tookEnter = false;
  document.addEventListener("keypress", function (e) {
    if (e.key === "Enter" && tookEnter) e.preventDefault();
  }, true);
  document.addEventListener("keyup", function (e) {
    if (e.key === "Enter") tookEnter = false;
  }, true);
  window.addEventListener("keydown", function (e) {
    if (e.key === "Enter") tookEnter = e.defaultPrevented;
  });

  document.addEventListener("keydown", function (e) {
    var t = e.target, form = t.form;
    if (!form || e.key !== "Enter" || e.altKey || e.metaKey || e.isComposing) return;
    if (e.ctrlKey) {
      if (form.hasAttribute("data-ctrl-enter")) { e.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (t.tagName === "SELECT" && (form.hasAttribute("data-enter-submit") || t.hasAttribute("data-submit-on-pick"))) {
      e.preventDefault(); form.requestSubmit(); return;
    }
    if (!form.hasAttribute("data-enter-next") || t.tagName === "BUTTON" || t.tagName === "TEXTAREA" || t.type === "checkbox") return;
    if (t.classList.contains("acct")) {
      e.preventDefault();
      if (!focusEl(missingAccount(form))) form.requestSubmit();
      return;
    }
    if (t.hasAttribute("data-enter-last")) {
      var acct = missingAccount(form);
      if (acct) { e.preventDefault(); focusEl(acct); }
      return; // else Enter submits
    }
    e.preventDefault();
    var fields = fieldsOf(form), i = fields.indexOf(t);
    if (t.name === "item" && !t.value.trim()) { focusEl(form.querySelector("button[type=submit]")); return; }
    for (var j = i + 1; j < fields.length; j++) {
      if (fields[j].required && !fields[j].value.trim()) { focusEl(fields[j]); return; }
    }
    var last = form.querySelector("[data-enter-last]");
    if (last && fields.indexOf(last) > i) { focusEl(last); return; }
    if (!focusEl(fields[i + 1])) focusEl(form.querySelector("button[type=submit]"));
  });

  // The kind picker submits when picked with the mouse, or with Enter.
  var pointer = false;
  document.addEventListener("pointerdown", function () { pointer = true; });
  document.addEventListener("keydown", function () { pointer = false; }, true);
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.hasAttribute && t.hasAttribute("data-submit-on-pick") && pointer) t.form.requestSubmit();
  });

  // Printing opens a new tab; when the clerk comes back the screen is up to
  // date and the next step has focus.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (!f.hasAttribute || !f.hasAttribute("data-print-form")) return;
    setTimeout(function () {
      changed();
      if (f.id === "tips-form" && document.querySelector("[data-step=fees]")) openPanel("fees");
    }, 800);
  });
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("#agency-print, #receipt-pdf") : null;
    if (!a) return;
    var next = a.id === "agency-print" ? document.getElementById("agency-send") : document.getElementById("end-visit");
    // Opened with Enter (a click without a pointer): move on when the key is
    // released, so the same keystroke does not also press the next button.
    if (e.detail === 0) afterEnter = next;
    else setTimeout(function () { focusEl(next); }, 0);
  });
  var afterEnter = null;
  document.addEventListener("keyup", function (e) {
    if (e.key === "Enter" && afterEnter) { var n = afterEnter; afterEnter = null; focusEl(n); }
  });

  // Browsers skip autofocus in a tab that is not in front (after a print tab
  // opened): give the focus to the marked field ourselves.
  var af = document.querySelector("main [autofocus]");
  if (af && (document.activeElement === document.body || !document.activeElement)) af.focus();

  // First focus on the visit screen: the panel when one opens by itself, else
  // the registration picker while none is chosen.
  if (visit && work && !work.hasAttribute("hx-get")) {
    var kind = document.getElementById("kind");
    if (kind && !kind.value) kind.focus();
  }
})();
