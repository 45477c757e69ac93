// The monthly sales analysis report's charts (ECharts), from the json_script block "msr-charts":
// [{id, kind: bar|pie, categories, series: [{name, values}]}]. Each chart's numbers are also in a
// table under it. Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  function option(chart) {
    if (chart.kind === "pie") {
      var values = chart.series.length ? chart.series[0].values : [];
      return {
        animation: false,
        tooltip: { trigger: "item" },
        series: [{
          type: "pie",
          radius: ["35%", "65%"],
          data: chart.categories.map(function (name, n) { return { name: name, value: values[n] }; }),
        }],
      };
    }
    return {
      animation: false,
      grid: { left: 80, right: 16, top: 36, bottom: 40 },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: chart.categories, axisLabel: { interval: 0, rotate: chart.categories.length > 6 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: chart.series.map(function (series) { return { name: series.name, type: "bar", data: series.values }; }),
    };
  }

  function draw() {
    var source = document.getElementById("msr-charts");
    if (!source || !window.echarts) return;
    var charts = JSON.parse(source.textContent);
    charts.forEach(function (chart) {
      var element = document.querySelector('[data-msr-chart="' + chart.id + '"]');
      if (!element || element.dataset.drawn) return;
      var instance = window.echarts.init(element, null, { renderer: "svg" });
      instance.setOption(option(chart));
      element.dataset.drawn = "1";
      window.addEventListener("resize", function () { instance.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
