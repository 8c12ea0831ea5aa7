// Rating statistics charts (Chart.js, vendored).
(function () {
  "use strict";
  var el = document.getElementById("chart-data");
  if (!el || !window.Chart) return;
  var d = JSON.parse(el.dataset.json);
  var colors = { "非常滿意": "#16a34a", "滿意": "#86efac", "普通": "#facc15", "不滿意": "#fb923c", "非常不滿意": "#dc2626" };
  var order = ["非常滿意", "滿意", "普通", "不滿意", "非常不滿意"];
  new Chart(document.getElementById("chart-levels"), {
    type: "bar",
    data: { labels: d.labels, datasets: order.map(function (k) { return { label: k, data: d.levels[k] || [], backgroundColor: colors[k] }; }) },
    options: { animation: false, responsive: true, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
  });
  new Chart(document.getElementById("chart-trend"), {
    type: "line",
    data: { labels: d.labels, datasets: [{ label: "滿意度 %", data: d.satisfied, borderColor: "#0b5a7a", backgroundColor: "#0b5a7a", tension: .2 }] },
    options: { animation: false, responsive: true, scales: { y: { min: 0, max: 100 } } }
  });
})();
