// Service ticket pages: the SLA countdown of each ticket, copying the rating link, printing.
// Loaded as a file (the Content-Security-Policy allows no inline script). The signature pads of the
// quality feedback form are the visit pages' (visits/visits.js).
"use strict";

// <span data-deadline="2026-11-23T18:00:00+08:00" data-left="剩余 %s" data-over="已超时 %s"
//       data-units="天,小时,分钟">…</span>: the server renders the text once, this keeps it current.
function formatSpan(minutes, units) {
  const [day, hour, minute] = units;
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return `${d}${day}${h}${hour}`;
  if (h) return `${h}${hour}${m}${minute}`;
  return `${m}${minute}`;
}

function updateCountdowns(root) {
  const now = Date.now();
  root.querySelectorAll("[data-deadline]").forEach((element) => {
    const deadline = Date.parse(element.dataset.deadline);
    if (Number.isNaN(deadline)) return;
    const units = (element.dataset.units || "d,h,min").split(",");
    const left = Math.round((deadline - now) / 60000);
    const template = left >= 0 ? element.dataset.left : element.dataset.over;
    if (!template) return;
    element.textContent = template.replace("%s", formatSpan(Math.abs(left), units));
    const soon = Number(element.dataset.soonMinutes || 0);
    element.classList.toggle("text-danger", left < 0);
    element.classList.toggle("text-warning-emphasis", left >= 0 && soon > 0 && left <= soon);
    element.dataset.state = left < 0 ? "over" : soon > 0 && left <= soon ? "soon" : "left";
  });
}

// Copy the satisfaction link to the clipboard (the AM sends it to the client by SMS or WeChat).
function setUpCopyButtons() {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", () => {
      const source = document.getElementById(button.dataset.copy);
      if (!source || !navigator.clipboard) return;
      navigator.clipboard.writeText(source.value || source.textContent).then(() => {
        button.textContent = button.dataset.copied || button.textContent;
      });
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  updateCountdowns(document);
  window.setInterval(() => updateCountdowns(document), 60_000);
  setUpCopyButtons();
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});

document.addEventListener("htmx:afterSettle", (event) => updateCountdowns(event.target));
