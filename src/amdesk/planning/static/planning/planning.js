// The month grid of the daily performance registration: keyboard moves, live totals, and only the
// changed cells are sent (the server compares again; this keeps the request small).
(function () {
  "use strict";

  function number(text) {
    var value = parseFloat(String(text || "").replace(/,/g, ""));
    return isNaN(value) ? 0 : value;
  }

  function format(value) {
    return (Math.round(value * 100) / 100).toString();
  }

  function cellValue(element) {
    return element.tagName === "INPUT" ? element.value : element.getAttribute("data-value");
  }

  function refreshTotals(form) {
    var month = {};
    form.querySelectorAll("tr[data-item]").forEach(function (row) {
      var item = row.getAttribute("data-item");
      var sum = 0;
      row.querySelectorAll(".perf-cell, .perf-value").forEach(function (cell) {
        sum += number(cellValue(cell));
      });
      var total = row.querySelector(".perf-week-total");
      if (total) total.textContent = format(sum);
      month[item] = (month[item] || 0) + sum;
    });
    form.querySelectorAll(".perf-month-total").forEach(function (cell) {
      cell.textContent = format(month[cell.getAttribute("data-item")] || 0);
    });
  }

  function move(input, step) {
    // Same day, next (or previous) item; past the last item of a week, on to the next week.
    var cells = Array.prototype.slice.call(input.form.querySelectorAll(".perf-cell"));
    var day = input.name.slice(5, 15);
    var sameDay = cells.filter(function (cell) { return cell.name.slice(5, 15) === day; });
    var index = sameDay.indexOf(input) + step;
    var target = sameDay[index];
    if (!target) {
      var position = cells.indexOf(input) + step;
      target = cells[position];
    }
    if (target) {
      target.focus();
      target.select();
    }
  }

  function init(form) {
    form.addEventListener("input", function (event) {
      var input = event.target;
      if (!input.classList.contains("perf-cell")) return;
      var valid = input.value.trim() === "" || /^\d+(\.\d{0,2})?$/.test(input.value.trim().replace(/,/g, ""));
      input.classList.toggle("is-invalid", !valid);
      input.classList.toggle("is-changed", input.value !== input.getAttribute("data-original"));
      refreshTotals(form);
    });
    form.addEventListener("keydown", function (event) {
      var input = event.target;
      if (!input.classList || !input.classList.contains("perf-cell")) return;
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        return; // Ctrl+Enter saves the month
      }
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault();
        move(input, 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(input, -1);
      }
    });
    form.addEventListener("submit", function () {
      form.querySelectorAll(".perf-cell").forEach(function (input) {
        if (input.value === input.getAttribute("data-original")) input.disabled = true;
      });
    });
    // Coming back with the browser's Back button must not leave cells disabled.
    window.addEventListener("pageshow", function () {
      form.querySelectorAll(".perf-cell").forEach(function (input) { input.disabled = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-perf-form]").forEach(init);
  });
})();
