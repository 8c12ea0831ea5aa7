// ebazhao archive viewer: page through, zoom and rotate a scanned document.
// Keys: ← → (PageUp/PageDown) page, + − zoom, 0 fit, R rotate. Works without
// it: every page is a plain link. (A certified copy's print button is app.js's
// [data-print], like every other print button.)
(function () {
  "use strict";
  var v = document.getElementById("viewer");
  if (!v) return;
  var img = document.getElementById("page-img");
  var pages = Array.prototype.slice.call(document.querySelectorAll("[data-page]"));
  var label = document.getElementById("page-label");
  var base = v.getAttribute("data-base"), purpose = v.getAttribute("data-purpose");
  var n = 1, zoom = 1, rot = 0, total = pages.length;
  function apply() {
    img.style.transform = "rotate(" + rot + "deg)";
    img.style.width = (zoom * 100) + "%";
    var side = rot % 180 !== 0;
    img.parentNode.classList.toggle("rotated", side);
  }
  function show(k) {
    if (k < 1 || k > total) return;
    n = k;
    img.src = base + "/pages/" + n + "?purpose=" + encodeURIComponent(purpose);
    img.alt = "第 " + n + " 頁";
    label.textContent = "第 " + n + " 頁／共 " + total + " 頁";
    pages.forEach(function (a) { a.classList.toggle("current", +a.getAttribute("data-page") === n); });
  }
  pages.forEach(function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); show(+a.getAttribute("data-page")); });
  });
  function act(what) {
    switch (what) {
      case "prev": show(n - 1); break;
      case "next": show(n + 1); break;
      case "zoom-in": zoom = Math.min(4, zoom * 1.25); apply(); break;
      case "zoom-out": zoom = Math.max(0.25, zoom / 1.25); apply(); break;
      case "fit": zoom = 1; rot = 0; apply(); break;
      case "rotate": rot = (rot + 90) % 360; apply(); break;
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-act]"), function (b) {
    b.addEventListener("click", function () { act(b.getAttribute("data-act")); });
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var map = { ArrowLeft: "prev", PageUp: "prev", ArrowRight: "next", PageDown: "next", "+": "zoom-in", "=": "zoom-in", "-": "zoom-out", "0": "fit", r: "rotate", R: "rotate" };
    if (map[e.key]) { e.preventDefault(); act(map[e.key]); }
  });
  apply();
  v.setAttribute("data-ready", "1");
})();
