// The review page: the PDF drawn with the vendored PDF.js, and the validations re-run as the
// reviewer corrects a field (POSTed with the page's CSRF token; the server decides).
import * as pdfjs from "/static/vendor/pdf.min.js";

pdfjs.GlobalWorkerOptions.workerSrc = "/static/vendor/pdf.worker.min.js";

async function showPdf(box) {
  try {
    const doc = await pdfjs.getDocument({ url: box.dataset.src, isEvalSupported: false }).promise;
    for (let n = 1; n <= Math.min(doc.numPages, 10); n++) {
      const page = await doc.getPage(n);
      const width = box.clientWidth || 600;
      const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
      const canvas = document.createElement("canvas");
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      canvas.style.width = `${Math.floor(viewport.width)}px`;
      box.appendChild(canvas);
      const ctx = canvas.getContext("2d");
      ctx.scale(ratio, ratio);
      await page.render({ canvasContext: ctx, viewport }).promise;
    }
    box.dataset.rendered = String(doc.numPages);
  } catch (err) {
    box.textContent = `The document could not be shown here (${err.message}); use the link below.`;
    box.dataset.rendered = "error";
  }
}

function showValidation(box, result) {
  box.classList.remove("ok", "bad");
  box.replaceChildren();
  if (!result.available) return;
  box.classList.add(result.ok ? "ok" : "bad");
  if (result.ok) {
    box.textContent = "All validations pass.";
    return;
  }
  const list = document.createElement("ul");
  for (const reason of result.reasons) {
    const li = document.createElement("li");
    li.textContent = reason;
    list.appendChild(li);
  }
  box.appendChild(list);
}

function liveValidation(form) {
  const box = document.getElementById("validation");
  const url = form.dataset.validate;
  const token = form.querySelector("input[name=csrf_token]").value;
  let timer = null;
  let seq = 0;
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++seq;
      const response = await fetch(url, {
        method: "POST",
        headers: { "X-CSRF-Token": token, Accept: "application/json" },
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
      });
      if (mine !== seq || !response.ok) return; // a newer edit is on its way
      showValidation(box, await response.json());
      box.dataset.checked = String(mine);
    }, 250);
  });
}

document.querySelectorAll(".pdf[data-src]").forEach(showPdf);
const form = document.getElementById("decide");
if (form && form.querySelector("input[name^=f_]:not([readonly])")) liveValidation(form);
