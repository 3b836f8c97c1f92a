// Renders invoices with @h1dd3nsn1p3r/pdf-invoice (npm), run by bench/thirdparty.py with
// NODE_PATH on the cache: jobs as JSON on stdin ({path, payload}), one report per PDF on
// stdout with the amounts the package prints, computed as it computes them (its helpers are
// not exported: the formulas below are its calcItemTotal, calcTax and calcFinalTotal, in
// JavaScript floating point, rounded by toFixed(2) as it does).
"use strict";

const { PDFInvoice } = require("@h1dd3nsn1p3r/pdf-invoice");

function itemTotal(item) {
  const net = item.quantity * item.price;
  return net + (item.tax ? net * (item.tax / 100) : 0);
}

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const reports = [];
  for (const job of JSON.parse(input)) {
    const payload = { ...job.payload, invoice: { ...job.payload.invoice, path: job.path } };
    await new PDFInvoice(payload).create();
    let gross = 0;
    let tax = 0;
    for (const item of payload.items) {
      gross += Number(itemTotal(item));
      tax += (item.price * item.quantity * (item.tax || 0)) / 100;
    }
    reports.push({
      amounts: {
        lines: payload.items.map((item) => Number(itemTotal(item).toFixed(2)).toFixed(2)),
        tax: Number(tax.toFixed(2)).toFixed(2),
        total: Number(gross.toFixed(2)).toFixed(2),
      },
    });
  }
  process.stdout.write(JSON.stringify(reports));
}

main().catch((error) => { console.error(error); process.exit(1); });
