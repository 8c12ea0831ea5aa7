// ebazhao: small progressive behaviour. Everything works without it; it adds
// keyboard shortcuts and sends the CSRF token with htmx requests.
(function () {
  "use strict";
  var csrf = document.body.getAttribute("data-csrf");
  document.body.addEventListener("htmx:configRequest", function (e) {
    if (csrf) e.detail.headers["X-CSRF-Token"] = csrf;
  });
  // Supervisors: the dissatisfaction alarm arrives over server-sent events.
  var alarm = document.getElementById("alarm");
  if (alarm && window.EventSource) {
    var es = new EventSource("/rating/alerts/events");
    es.addEventListener("alerts", function (e) {
      var d = JSON.parse(e.data);
      alarm.hidden = d.open === 0;
      document.getElementById("alarm-text").textContent = d.open > 0 ? "（" + d.open + " 件未處理）" + d.latest : "";
      if (d["new"]) beep();
    });
  }
  function beep() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.35, 0.7].forEach(function (t) {
        var o = ctx.createOscillator(), g = ctx.createGain();
        o.frequency.value = 880; o.connect(g); g.connect(ctx.destination);
        g.gain.setValueAtTime(0.3, ctx.currentTime + t); o.start(ctx.currentTime + t); o.stop(ctx.currentTime + t + 0.25);
      });
    } catch (err) { /* no audio device: the banner still shows */ }
  }
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
