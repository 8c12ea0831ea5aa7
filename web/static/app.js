// ebazhao: small progressive behaviour. Everything works without it; it adds
// keyboard shortcuts and sends the CSRF token with htmx requests.
(function () {
  "use strict";
  var csrf = document.body.getAttribute("data-csrf");
  document.body.addEventListener("htmx:configRequest", function (e) {
    if (csrf) e.detail.headers["X-CSRF-Token"] = csrf;
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target, typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    // "/" jumps to the person search from anywhere but a text field.
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      var s = document.querySelector("[data-search]");
      if (s) { e.preventDefault(); s.focus(); s.select(); }
      else { e.preventDefault(); window.location.href = "/persons"; }
      return;
    }
    // Alt+<letter> follows the navigation entry that shows that shortcut.
    if (e.altKey && !e.ctrlKey && !e.metaKey && e.key && e.key.length === 1) {
      var want = "Alt+" + e.key.toUpperCase();
      var link = document.querySelector('[data-shortcut="' + want + '"]');
      if (link) { e.preventDefault(); link.click(); }
    }
  });
})();
