// Renders invoices with jspdf-invoice-template-nodejs (npm), run by bench/thirdparty.py with
// NODE_PATH on the cache: jobs as JSON on stdin ({path, props}), an empty report per PDF on
// stdout. The props (labels and values, as a user of the package writes them) are built in
// Python; the template draws them.
"use strict";

const fs = require("fs");
const template = require("jspdf-invoice-template-nodejs");

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const render = template.default || template;
  const reports = [];
  for (const job of JSON.parse(input)) {
    const out = render({ ...job.props, outputType: "arraybuffer" });
    fs.writeFileSync(job.path, Buffer.from(out.arrayBuffer));
    reports.push({});
  }
  process.stdout.write(JSON.stringify(reports));
}

main().catch((error) => { console.error(error); process.exit(1); });
