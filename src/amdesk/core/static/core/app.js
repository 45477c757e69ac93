// AMDesk page behaviour. Loaded as a file: the Content-Security-Policy allows no inline script.
"use strict";

// A line chart from a json_script block: <div data-chart="aum" data-source="id-of-json" data-label="…">.
// Data rows are {"date": "2026-01-31", "amount": 123.45}.
function drawCharts(root) {
  if (!window.echarts) return;
  root.querySelectorAll("[data-chart]").forEach((element) => {
    const source = document.getElementById(element.dataset.source);
    if (!source || element.dataset.drawn) return;
    const rows = JSON.parse(source.textContent);
    const chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 70, right: 16, top: 16, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: rows.map((row) => row.date) },
      yAxis: { type: "value", scale: true },
      series: [{ name: element.dataset.label || "", type: "line", data: rows.map((row) => row.amount), smooth: true }],
    });
    element.dataset.drawn = "1";
    window.addEventListener("resize", () => chart.resize());
  });
}

document.addEventListener("DOMContentLoaded", () => {
  // Selects marked data-autosubmit (the language switch) submit their form when changed.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
  drawCharts(document);
});

document.addEventListener("htmx:afterSettle", (event) => drawCharts(event.target));
