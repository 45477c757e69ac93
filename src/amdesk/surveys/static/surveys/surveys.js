// Survey pages: confirmations, copying a survey link, printing its QR code, and the question form
// showing the options box only for choice questions. Loaded as a file (CSP: no inline script).
"use strict";

function setUpSurveyPage(root) {
  root.querySelectorAll("form[data-confirm]").forEach((form) => {
    if (form.dataset.confirmReady) return;
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
    form.dataset.confirmReady = "1";
  });
  root.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", () => {
      const field = document.querySelector(button.dataset.copy);
      if (!field) return;
      field.select();
      const done = () => { button.textContent = button.dataset.copied || button.textContent; };
      if (navigator.clipboard) navigator.clipboard.writeText(field.value).then(done, () => document.execCommand("copy"));
      else { document.execCommand("copy"); done(); }
    });
  });
  root.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
  const form = root.querySelector("form[data-question-form]");
  const kind = form?.querySelector("select[name=kind]");
  const options = form?.querySelector("[data-field=options]");
  if (kind && options) {
    const sync = () => { options.hidden = !["single", "multiple"].includes(kind.value); };
    kind.addEventListener("change", sync);
    sync();
  }
}

// After a move (htmx), the builder's other forms must send the questionnaire's new version, or the
// server refuses them as made on an older page.
function syncQuestionnaireVersion() {
  const sync = document.getElementById("version-sync");
  if (!sync || !sync.dataset.version) return;
  document.querySelectorAll("input[data-questionnaire-version], #id_version").forEach((input) => {
    input.value = sync.dataset.version;
  });
}

document.addEventListener("DOMContentLoaded", () => setUpSurveyPage(document));
document.addEventListener("htmx:afterSettle", syncQuestionnaireVersion);
document.addEventListener("htmx:afterSettle", (event) => setUpSurveyPage(event.target));
