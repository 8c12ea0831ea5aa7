// ebazhao fee pages: keyboard-first receipt issuing and printing.
// Without it everything still works (forms submit, the PDF link opens).
(function () {
  "use strict";
  var form = document.getElementById("issue-form");
  if (form) {
    // Submitting twice is harmless (the idempotency key makes one receipt),
    // but say so instead of looking stuck.
    form.addEventListener("submit", function () {
      var b = form.querySelector("button[type=submit]");
      if (b) { setTimeout(function () { b.disabled = true; b.textContent = "開立中…"; }, 0); }
    });
    form.addEventListener("keydown", function (e) {
      // F2–F5 choose the payment method; Escape clears the form.
      var keys = { F2: "cash", F3: "card", F4: "easycard", F5: "mobile" };
      if (keys[e.key]) {
        e.preventDefault();
        var sel = form.querySelector("[name=payment]");
        if (sel) { sel.value = keys[e.key]; sel.dispatchEvent(new Event("change", { bubbles: true })); }
      }
      if (e.key === "Escape") {
        form.reset();
        var first = form.querySelector("[name=item]");
        if (first) first.focus();
        form.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }
  // The receipt page: P prints (opens the PDF for the printer), N starts the next receipt.
  var printLink = document.querySelector("[data-print-receipt]");
  if (printLink || document.getElementById("receipt-frame")) {
    document.addEventListener("keydown", function (e) {
      var t = e.target, typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      if ((e.key === "p" || e.key === "P") && printLink) { e.preventDefault(); printLink.click(); }
      if (e.key === "n" || e.key === "N") { e.preventDefault(); window.location.href = "/fees"; }
    });
  }
})();
