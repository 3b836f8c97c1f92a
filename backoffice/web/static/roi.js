// The ROI charts, drawn with the vendored Chart.js from the JSON the page carries.
(function () {
  "use strict";
  const el = document.getElementById("roi-data");
  if (!el || typeof Chart === "undefined") return;
  const data = JSON.parse(el.textContent);
  Chart.defaults.animation = false; // screenshots and slow machines want the final frame
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  const months = data.months || [];
  new Chart(document.getElementById("chart-month"), {
    data: {
      labels: months.map((m) => m.month),
      datasets: [
        { type: "bar", label: "saved", data: months.map((m) => m.money_saved), backgroundColor: "#2e9e6a" },
        { type: "bar", label: "costs", data: months.map((m) => m.costs), backgroundColor: "#d9822b" },
        { type: "line", label: "cumulative net", data: months.map((m) => m.cumulative_net),
          borderColor: "#2457a6", backgroundColor: "#2457a6", tension: 0.2 },
      ],
    },
    options: { maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } },
  });
  const robots = data.robots || [];
  new Chart(document.getElementById("chart-robot"), {
    type: "bar",
    data: {
      labels: robots.map((r) => r.key),
      datasets: [{ label: "hours saved", data: robots.map((r) => r.hours_saved), backgroundColor: "#2457a6" }],
    },
    options: { indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: false } } },
  });
  document.body.dataset.chartsReady = "1";
})();
