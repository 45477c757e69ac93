// Visit record pages: the client's signature drawn on the screen, the AM's position, printing.
// Loaded as a file (the Content-Security-Policy allows no inline script).
"use strict";

function setUpSignaturePads() {
  document.querySelectorAll("[data-signature-pad]").forEach((box) => {
    const canvas = box.querySelector("canvas");
    const form = box.closest("form");
    if (!canvas || !form || !window.SignaturePad || box.dataset.ready) return;
    const pad = new window.SignaturePad(canvas, { backgroundColor: "rgb(255, 255, 255)" });
    // Size the canvas to its box at the device's pixel ratio, keeping what is drawn.
    const resize = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const data = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      pad.fromData(data);
    };
    window.addEventListener("resize", resize);
    resize();
    // A form sent back with an error keeps the signature already drawn: the client does not sign twice.
    const kept = form.querySelector("input[name=signature]");
    if (kept && kept.value.startsWith("data:image/png;base64,")) {
      pad.fromDataURL(kept.value, { ratio: 1, width: canvas.offsetWidth, height: canvas.offsetHeight });
    }
    box.querySelector("[data-signature-clear]")?.addEventListener("click", () => pad.clear());
    form.addEventListener("submit", () => {
      const field = form.querySelector("input[name=signature]");
      if (field) field.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
    });
    box.dataset.ready = "1";
  });
}

// On-site visits keep where they took place, when the browser may tell (HTTPS or localhost).
function fillPosition() {
  const form = document.querySelector("form[data-visit-form]");
  const lat = form?.querySelector("input[name=latitude]");
  const lng = form?.querySelector("input[name=longitude]");
  if (!lat || !lng || lat.value || !navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition(
    (position) => {
      lat.value = position.coords.latitude.toFixed(6);
      lng.value = position.coords.longitude.toFixed(6);
    },
    () => {},
    { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 },
  );
}

document.addEventListener("DOMContentLoaded", () => {
  setUpSignaturePads();
  fillPosition();
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
