/**
 * Baseline for the lint benchmark: dockerfilelint's library over every Dockerfile of a folder,
 * in ONE Node process (as drydock lints a folder in one process).
 *
 * Why not its CLI: `dockerfilelint a b c` does take many files, but it throws on some inputs
 * (e.g. `HEALTHCHECK CMD true` -> TypeError in checks.is_valid_healthcheck) and then the whole
 * run dies. Here each file is wrapped in try/catch, so one bad file costs only itself.
 *
 * Usage: node dockerfilelint-driver.cjs <dir> [report.json]
 * Prints one JSON line to stderr: {files, crashed, issues}. Writes the report (all issues of
 * all files, as its JSON reporter would) to report.json, or /dev/null.
 */
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const dockerfilelint = require("dockerfilelint");

const [dir, reportPath = "/dev/null"] = process.argv.slice(2);
if (!dir) {
  process.stderr.write("usage: node dockerfilelint-driver.cjs <dir> [report.json]\n");
  process.exit(2);
}

/** Same file names drydock picks up in a folder (src/lint/files.ts isDockerfileName). */
function isDockerfileName(name) {
  return (
    name === "Dockerfile" ||
    name === "Containerfile" ||
    name.endsWith(".Dockerfile") ||
    name.endsWith(".dockerfile") ||
    name.startsWith("Dockerfile.") ||
    name.startsWith("Containerfile.")
  );
}

const names = fs.readdirSync(dir).filter(isDockerfileName).sort();
const report = [];
let crashed = 0;
let issues = 0;
for (const name of names) {
  const file = path.join(dir, name);
  const content = fs.readFileSync(file, "utf8");
  try {
    // run(configDir, content): configDir is where it looks for .dockerfilelintrc.
    const items = dockerfilelint.run(dir, content);
    issues += items.length;
    report.push({ file, issues: items });
  } catch (error) {
    crashed++;
    report.push({ file, error: String(error?.message) });
  }
}
fs.writeFileSync(reportPath, JSON.stringify({ files: report, totalIssues: issues }));
process.stderr.write(`${JSON.stringify({ files: names.length, crashed, issues })}\n`);
