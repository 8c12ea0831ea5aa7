// The rating terminal: waits for a window opened by a transaction at its counter
// (server-sent events), asks, takes one press, thanks, closes; closes by itself
// after the window's time. Reconnects after a network drop and asks the server
// for the current state, so it never shows a stale prompt.
(function () {
  "use strict";
  var body = document.body, csrf = body.dataset.csrf;
  var idle = document.getElementById("idle"), ask = document.getElementById("ask"), thanks = document.getElementById("thanks");
  var leftEl = document.getElementById("left"), conn = document.getElementById("conn");
  var prompt = new Audio(body.dataset.prompt), thanksAudio = new Audio(body.dataset.thanks);
  var windowId = 0, timer = null, deadline = 0;
  function show(el) { [idle, ask, thanks].forEach(function (s) { s.hidden = s !== el; }); }
  function close() { windowId = 0; clearInterval(timer); show(idle); }
  function open(id, remaining) {
    windowId = id; deadline = Date.now() + remaining;
    show(ask);
    prompt.currentTime = 0; prompt.play().catch(function () {});
    clearInterval(timer);
    tick(); timer = setInterval(tick, 250);
    var first = ask.querySelector(".level"); if (first) first.focus();
  }
  function tick() {
    var s = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    leftEl.textContent = s;
    if (s <= 0) close();
  }
  ask.addEventListener("click", function (e) {
    var b = e.target.closest("[data-level]");
    if (!b || !windowId) return;
    var id = windowId; windowId = 0; clearInterval(timer);
    var form = new URLSearchParams({ window_id: id, level: b.dataset.level, csrf_token: csrf });
    fetch("/terminal/rate", { method: "POST", body: form, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
      .finally(function () {
        show(thanks); thanksAudio.play().catch(function () {});
        setTimeout(close, 3000);
      });
  });
  function connect() {
    var es = new EventSource("/terminal/events");
    es.addEventListener("open", function (e) { var d = JSON.parse(e.data); conn.hidden = true; if (d.window_id !== windowId) open(d.window_id, d.remaining_ms); });
    es.addEventListener("close", function () { conn.hidden = true; if (ask.hidden === false) close(); });
    es.onopen = function () { conn.hidden = true; };
    es.onerror = function () { conn.hidden = false; if (!ask.hidden) close(); };
  }
  connect();
})();
