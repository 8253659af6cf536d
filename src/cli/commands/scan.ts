import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../../errors.ts";
import { COMPARE_FORMATS, isScanFormat, SCAN_FORMATS, type ScanFormat } from "../../report/scan/formats.ts";
import { VERSION } from "../../version.ts";
import type { ScanOptions } from "../../vuln/scan.ts";
import type { SeverityLevel } from "../../vuln/severity/severity.ts";
import { collect } from "../collect.ts";
import { addImageOptions, type ImageCliOptions, imageSourceSetup, scopeOption } from "../image-options.ts";
import { type CliIO, useColor } from "../io.ts";
import { resolveDbPath } from "./db.ts";
import { documentTime } from "./sbom.ts";

interface OutputSpec {
  format: ScanFormat;
  file?: string;
}

/** `-o FORMAT[=FILE]`, as `drydock sbom` reads it; grype's and trivy's names as aliases. */
export function parseScanOutput(text: string): OutputSpec {
  const eq = text.indexOf("=");
  const name = (eq < 0 ? text : text.slice(0, eq)).trim();
  const file = eq < 0 ? undefined : text.slice(eq + 1);
  const aliases: Record<string, ScanFormat> = { text: "table", cyclonedx: "cyclonedx-json", md: "markdown" };
  const format = aliases[name] ?? name;
  if (!isScanFormat(format))
    throw new UsageError(`unknown scan format "${name}" (choose from ${SCAN_FORMATS.join(", ")})`);
  if (file === "") throw new UsageError(`-o ${text}: missing file name after "="`);
  return { format, ...(file ? { file } : {}) };
}

async function parseFailOn(value: string | undefined): Promise<SeverityLevel | undefined> {
  if (value === undefined) return undefined;
  const { isSeverityLevel } = await import("../../vuln/severity/severity.ts");
  const level = value.toLowerCase();
  if (!isSeverityLevel(level) || level === "unknown")
    throw new UsageError(`--fail-on ${value}: choose negligible, low, medium, high or critical`);
  return level;
}

function parseExitCode(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 255)
    throw new UsageError(`--exit-code ${value}: a whole number from 0 to 255`);
  return n;
}

/** The ignore files to read: those named, else the defaults that exist in the working directory. */
function ignoreFiles(io: CliIO, named: string[] | undefined, fallback: string, off: boolean): string[] {
  if (off) return [];
  if (named && named.length > 0) return named;
  return existsSync(join(io.cwd, fallback)) ? [fallback] : [];
}

export function registerScan(program: Command, io: CliIO, setExit: (code: number) => void): void {
  addImageOptions(
    program
      .command("scan")
      .description(
        "Find known vulnerabilities in an image, a directory or an SBOM, offline, from the local OSV database (drydock db). Gates CI: --fail-on SEVERITY exits 2.",
      )
      .argument(
        "<targets...>",
        "image (docker-archive:PATH, oci:DIR, registry:REF, docker-daemon:REF, a path, a reference), a directory (DIR or dir:DIR), or sbom:FILE (CycloneDX, SPDX, syft or drydock JSON); two with --compare",
      )
      .option(
        "-o, --output <format[=file]>",
        `output format, repeatable, each to stdout or a file: ${SCAN_FORMATS.join(", ")} (default: table)`,
        collect,
      )
      .option("--db <path>", "vulnerability database (default: $DRYDOCK_DB or the cache dir)")
      .option(
        "--fail-on <severity>",
        // The library's FAIL_ON_EXIT_CODE (scan.test.ts checks): the help loads no scan code.
        "exit 2 when a vulnerability is at or above SEVERITY (negligible, low, medium, high, critical)",
      )
      .option("--exit-code <n>", "exit N when vulnerabilities are found (at or above --fail-on when given)")
      .option("--ignore-unfixed", "leave out vulnerabilities that have no fixed version")
      .option("--only-fixed", "same as --ignore-unfixed (grype's name)")
      .option(
        "--ignore-file <file>",
        "ignore rules (default: .drydockignore.yaml when present); repeatable",
        collect,
      )
      .option(
        "--trivyignore <file>",
        "trivy ignore file (default: .trivyignore when present); repeatable",
        collect,
      )
      .option("--no-ignore-files", "read no ignore file unless named")
      .option(
        "--vex <file>",
        "OpenVEX document: not_affected and fixed statements suppress findings; repeatable",
        collect,
      )
      .option("--show-ignored", "list ignored findings in the table")
      .option(
        "--compare",
        "compare two targets (OLD NEW): vulnerabilities fixed, introduced and unchanged; gates on introduced ones",
      )
      .addOption(scopeOption())
      .option("--no-color", "disable colours (also NO_COLOR)"),
  )
    .addHelpText(
      "after",
      `
Exit codes: 0 no vulnerability at or above --fail-on; 2 some (grype's convention), or N with
--exit-code N (trivy's); 1 error (a missing database says how to build one).

Examples:
  drydock db update --ecosystem Debian && drydock scan docker-archive:app.tar --fail-on high
  drydock scan sbom:bom.cdx.json -o sarif=scan.sarif -o table --ignore-unfixed
  drydock scan app:latest --vex app.openvex.json --exit-code 1
  drydock scan --compare debian:bookworm-slim app:latest -o markdown`,
    )
    .action(async (targets, opts) => {
      const outputs = (opts.output ?? ["table"]).map(parseScanOutput);
      if (outputs.filter((o) => !o.file).length > 1)
        throw new UsageError("only one -o FORMAT can go to stdout; give the others =FILE");
      if (opts.compare && targets.length !== 2) throw new UsageError("--compare takes two targets: OLD NEW");
      if (!opts.compare && targets.length !== 1)
        throw new UsageError(`scan takes one target (got ${targets.length}); use --compare OLD NEW for two`);
      if (opts.compare) {
        const other = outputs.find((o) => !COMPARE_FORMATS.includes(o.format));
        if (other)
          throw new UsageError(`--compare writes ${COMPARE_FORMATS.join(", ")}, not ${other.format}`);
      }
      const failOn = await parseFailOn(opts.failOn);
      const exitCode = parseExitCode(opts.exitCode);
      const [{ compareScans }, { loadIgnores }, { gateExitCode, scan }, { renderCompare, renderScan }] =
        await Promise.all([
          import("../../vuln/compare.ts"),
          import("../../vuln/ignore/apply.ts"),
          import("../../vuln/scan.ts"),
          import("../../report/scan/index.ts"),
        ]);
      // Validates the image flags even for sbom: targets; the readers themselves load lazily.
      const setup = await imageSourceSetup(opts as ImageCliOptions, io);
      const ignore = await loadIgnores({
        cwd: io.cwd,
        drydockIgnore: ignoreFiles(
          io,
          opts.ignoreFile,
          ".drydockignore.yaml",
          opts.ignoreFiles === false && !opts.ignoreFile,
        ),
        trivyIgnore: ignoreFiles(
          io,
          opts.trivyignore,
          ".trivyignore",
          opts.ignoreFiles === false && !opts.trivyignore,
        ),
        ...(opts.vex ? { vex: opts.vex } : {}),
      });
      const dbPath = resolveDbPath(opts.db, io);
      const now = new Date();
      const base: Omit<ScanOptions, "target"> = {
        cwd: io.cwd,
        dbPath,
        now,
        providers: setup.providers,
        ...(setup.platform ? { platform: setup.platform } : {}),
        scope: opts.scope,
        ignoreUnfixed: Boolean(opts.ignoreUnfixed || opts.onlyFixed),
        ignore,
      };
      const render = {
        version: VERSION,
        timestamp: documentTime(io.env),
        ...(opts.showIgnored ? { showIgnored: true } : {}),
      };
      const write = async (text: (format: ScanFormat, color: boolean) => string) => {
        for (const output of outputs) {
          if (output.file) await writeFile(resolve(io.cwd, output.file), text(output.format, false));
          else io.stdout.write(text(output.format, useColor(io, opts.color)));
        }
      };
      const warnAll = (warnings: readonly string[]) => {
        for (const w of warnings) io.stderr.write(`drydock: warning: ${w}\n`);
      };
      if (opts.compare) {
        const oldScan = await scan({ ...base, target: targets[0]! });
        const newScan = await scan({ ...base, target: targets[1]! });
        const result = compareScans(oldScan, newScan);
        warnAll(result.warnings);
        await write((format, color) => renderCompare(result, format, { ...render, color }));
        setExit(
          gateExitCode(result.introduced, {
            ...(failOn ? { failOn } : {}),
            ...(exitCode !== undefined ? { exitCode } : {}),
          }),
        );
        return;
      }
      const result = await scan({ ...base, target: targets[0]! });
      warnAll(result.warnings);
      await write((format, color) => renderScan(result, format, { ...render, color }));
      setExit(
        gateExitCode(result.findings, {
          ...(failOn ? { failOn } : {}),
          ...(exitCode !== undefined ? { exitCode } : {}),
        }),
      );
    });
}
