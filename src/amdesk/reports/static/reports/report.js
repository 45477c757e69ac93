"use strict";

// Report charts: <div data-report-chart="chart-0"> reads its data from the json_script of that id
// ({kind, unit, categories, series: [{name, values}]}) and draws it with ECharts; the buttons
// data-view="chart" / "table" switch between the chart and the same numbers as a table.
function drawReportChart(element) {
  const source = document.getElementById(element.dataset.reportChart);
  const canvas = element.querySelector(".report-chart-canvas");
  if (!source || !canvas || !window.echarts || element.dataset.drawn) return;
  const data = JSON.parse(source.textContent);
  const chart = window.echarts.init(canvas, null, { renderer: "svg" });
  const kind = data.kind === "line" ? "line" : "bar";
  chart.setOption({
    animation: false,
    grid: { left: 60, right: 16, top: 36, bottom: 60 },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", name: data.unit || "" },
    series: data.series.map((s) => ({ name: s.name, type: kind, data: s.values })),
  });
  element.dataset.drawn = "1";
  window.addEventListener("resize", () => chart.resize());
}

function switchView(element, view) {
  element.querySelector(".report-chart-canvas").classList.toggle("d-none", view !== "chart");
  element.querySelector(".report-chart-table").classList.toggle("d-none", view !== "table");
  element.querySelectorAll("[data-view]").forEach((button) => {
    const on = button.dataset.view === view;
    button.classList.toggle("active", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-report-chart]").forEach((element) => {
    drawReportChart(element);
    element.querySelectorAll("[data-view]").forEach((button) => {
      button.addEventListener("click", () => switchView(element, button.dataset.view));
    });
  });
});
