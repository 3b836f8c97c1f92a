// Renders invoices with microinvoice (npm), run by bench/thirdparty.py with NODE_PATH on the
// cache: jobs as JSON on stdin ({path, payload, texts}), one report per PDF on stdout.
// The payload (labels and values, as a user of the package writes them) is built in Python;
// the report gives back `texts` as the package prints them (it transliterates what its
// fonts cannot show).
"use strict";

const MicroInvoice = require("microinvoice");

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const jobs = JSON.parse(input);
  const reports = [];
  for (const job of jobs) {
    const invoice = new MicroInvoice(job.payload);
    await invoice.generate(job.path);
    // the package's own rule: text beyond its fonts' range is transliterated
    const shown = (v) => invoice.valueOrTransliterate(v);
    const printed = {};
    for (const [key, value] of Object.entries(job.texts)) {
      printed[key] = Array.isArray(value) ? value.map(shown) : shown(value);
    }
    reports.push({ printed });
  }
  process.stdout.write(JSON.stringify(reports));
}

main().catch((error) => { console.error(error); process.exit(1); });
