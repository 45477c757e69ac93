// The desks' charts: each <div data-desk-chart data-source="id"> is drawn from its json_script block
// (see desk/charts.py for the payload) and marked data-drawn="1"; a "Table" button swaps the chart
// for its table. Deadlines (data-deadline, ISO) show the time left. Loaded as a file (CSP).
"use strict";

(function () {
  const PALETTE = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"];

  function option(data) {
    const base = { animation: false, color: PALETTE, tooltip: { trigger: "axis" } };
    const legend = data.series.length > 1 ? { top: 0, type: "scroll" } : undefined;
    const top = legend ? 28 : 12;
    if (data.kind === "pie") {
      const serie = data.series[0];
      return {
        ...base,
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          type: "pie", radius: ["35%", "65%"], name: serie.name,
          data: data.categories.map((name, i) => ({ name, value: serie.data[i] })),
        }],
      };
    }
    if (data.kind === "heatmap") {
      const cells = [];
      data.series.forEach((serie, x) => serie.data.forEach((value, y) => cells.push([x, y, value === null ? "-" : value])));
      return {
        ...base,
        tooltip: { position: "top" },
        grid: { left: 90, right: 16, top: 8, bottom: 56 },
        xAxis: { type: "category", data: data.series.map((s) => s.name), splitArea: { show: true } },
        yAxis: { type: "category", data: data.categories, inverse: true, splitArea: { show: true } },
        visualMap: { min: 0, max: 100, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 80,
          inRange: { color: ["#f8d7da", "#fff3cd", "#d1e7dd", "#198754"] } },
        series: [{ type: "heatmap", data: cells, label: { show: true, fontSize: 10 } }],
      };
    }
    const horizontal = data.kind === "hbar";
    const category = { type: "category", data: data.categories, inverse: horizontal, axisLabel: { hideOverlap: true } };
    const value = { type: "value", scale: data.kind === "line" };
    return {
      ...base,
      legend,
      grid: { left: horizontal ? 90 : 60, right: 16, top, bottom: 28 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: data.series.map((serie) => ({
        name: serie.name,
        type: data.kind === "line" ? "line" : "bar",
        stack: data.kind === "stack" ? "total" : undefined,
        smooth: data.kind === "line",
        connectNulls: true,
        data: serie.data,
      })),
    };
  }

  function draw(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-desk-chart]").forEach((element) => {
      const source = document.getElementById(element.dataset.source);
      if (!source || element.dataset.drawn) return;
      const chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(option(JSON.parse(source.textContent)));
      element.dataset.drawn = "1";
      window.addEventListener("resize", () => chart.resize());
    });
  }

  function toggle(button) {
    const key = button.dataset.chartToggle;
    const figure = button.closest("figure");
    const table = figure.querySelector(`[data-chart-table="${key}"]`);
    const canvas = figure.querySelector(`[data-desk-chart="${key}"]`);
    const showTable = table.hidden;
    table.hidden = !showTable;
    if (canvas) canvas.hidden = showTable;
    button.setAttribute("aria-pressed", String(showTable));
    button.classList.toggle("active", showTable);
  }

  function countdown(root) {
    const now = Date.now();
    root.querySelectorAll("[data-deadline]").forEach((element) => {
      const due = Date.parse(element.dataset.deadline);
      if (Number.isNaN(due) || element.dataset.paused) return;
      const minutes = Math.round((due - now) / 60000);
      const abs = Math.abs(minutes);
      const text = abs >= 1440 ? `${Math.floor(abs / 1440)}d ${Math.floor((abs % 1440) / 60)}h`
        : `${Math.floor(abs / 60)}h ${abs % 60}m`;
      element.textContent = minutes < 0 ? `${element.dataset.overdueLabel || "-"} ${text}` : text;
      element.title = element.dataset.deadline;
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-chart-toggle]");
    if (button) toggle(button);
  });
  document.addEventListener("DOMContentLoaded", () => {
    draw(document);
    countdown(document);
    window.setInterval(() => countdown(document), 30000);
  });
})();
