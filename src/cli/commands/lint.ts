import { writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { type Command, Option } from "@commander-js/extra-typings";
import { UsageError } from "../../errors.ts";
import type { LintSettings } from "../../lint/settings.ts";
import type { Severity } from "../../lint/types.ts";
import { LINT_FORMATS, type LintFormat } from "../../report/lint-formats.ts";
import { VERSION } from "../../version.ts";
import { collect } from "../collect.ts";
import type { CliIO } from "../io.ts";

/** The library behind `drydock lint`, loaded only when the command runs. */
async function loadLintLibrary() {
  const [config, linter, report] = await Promise.all([
    import("../../config/lint-config.ts"),
    import("../../lint/lint.ts"),
    import("../../report/lint-report.ts"),
  ]);
  return {
    loadLintConfig: config.loadLintConfig,
    lint: linter.lint,
    writeFixes: linter.writeFixes,
    renderLintReport: report.renderLintReport,
  };
}

export function registerLint(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("lint")
    .description(
      "Lint Dockerfiles: hadolint's DL rules (same codes and config), ShellCheck on RUN, BuildKit's build checks and drydock's own DD rules; --fix repairs what it safely can.",
    )
    .argument("[paths...]", "Dockerfiles, directories (searched recursively) or - for stdin", ["."])
    .addOption(
      new Option("-f, --format <format>", "output format (repeatable; pairs with -o in order)")
        .choices(LINT_FORMATS)
        .argParser((v, prev: LintFormat[] | undefined) => {
          if (!(LINT_FORMATS as readonly string[]).includes(v))
            throw new UsageError(`unknown format '${v}' (use ${LINT_FORMATS.join(", ")})`);
          return [...(prev ?? []), v as LintFormat];
        }),
    )
    .option("-o, --output <file>", "write the report of the matching --format to FILE (repeatable)", collect)
    .option("-c, --config <file>", "config file (default: .hadolint.yaml lookup, then .drydock.yaml)")
    .option("--ignore <code>", "never report CODE (DLxxxx, SCxxxx, DDxxx or a BuildKit check name)", collect)
    .option("--error <code>", "report CODE as error", collect)
    .option("--warning <code>", "report CODE as warning", collect)
    .option("--info <code>", "report CODE as info", collect)
    .option("--style <code>", "report CODE as style", collect)
    .addOption(
      new Option(
        "-t, --failure-threshold <level>",
        "exit 1 only for findings at or above LEVEL (default info)",
      ).choices(["error", "warning", "info", "style", "ignore", "none"]),
    )
    .option("--no-fail", "always exit 0 unless there is a usage error")
    .option("--trusted-registry <registry>", "allow only these registries in FROM (enables DL3026)", collect)
    .option(
      "--require-label <label:format>",
      "require a label (text, url, semver, hash, rfc3339, spdx, email)",
      collect,
    )
    .option("--strict-labels", "report labels not in the label schema (DL3050)")
    .option("--disable-ignore-pragma", "ignore all inline `# hadolint ignore=` / `# drydock ignore=` pragmas")
    .addOption(
      new Option(
        "--shellcheck <mode>",
        "lint RUN bodies with ShellCheck: off, auto (when installed), required",
      ).choices(["off", "auto", "required"] as const),
    )
    .option("--fix", "rewrite files in place with the fixes that keep the build's meaning")
    .option("--fix-dry-run", "print the fixes as a unified diff; change nothing")
    .option("--context <dir>", "build context for context-aware rules (default: the Dockerfile's folder)")
    .option("--stdin-filename <name>", "name to report for stdin", "-")
    .option("--no-color", "disable colours (also NO_COLOR)")
    .option(
      "-j, --jobs <n>",
      "lint files on N threads when ShellCheck is not run (default 1; helps with many cores and files)",
      parseJobs,
    )
    .addHelpText(
      "after",
      `
Exit codes: 0 nothing at or above the threshold, 1 findings at or above it (or a syntax error), 2 usage error.

Examples:
  drydock lint                              lint every Dockerfile below the current folder
  drydock lint Dockerfile -f json           hadolint-compatible JSON
  drydock lint . -f sarif -o lint.sarif     SARIF 2.1.0 for code scanning
  drydock lint --fix-dry-run Dockerfile     show what --fix would change
  cat Dockerfile | drydock lint -           read stdin
  # hadolint ignore=DL3008                  inline pragma (also: # drydock ignore=DD002 reason)`,
    )
    .action(async (paths, opts) => {
      const { loadLintConfig, lint, writeFixes, renderLintReport } = await loadLintLibrary();
      const loaded = await loadLintConfig(
        { cwd: io.cwd, env: io.env, home: io.env.HOME ?? homedir() },
        opts.config,
      );
      const fromConfig = loaded.settings;
      const override: LintSettings["override"] = { ...fromConfig.override };
      for (const level of ["error", "warning", "info", "style"] as const) {
        const codes = opts[level];
        if (codes) override[level] = [...(override[level] ?? []), ...codes];
      }
      const settings: Partial<LintSettings> = {
        ...fromConfig,
        override,
        ignored: [...(fromConfig.ignored ?? []), ...(opts.ignore ?? [])],
        trustedRegistries: [...(fromConfig.trustedRegistries ?? []), ...(opts.trustedRegistry ?? [])],
        labelSchema: { ...fromConfig.labelSchema, ...parseLabels(opts.requireLabel ?? []) },
        shellcheck: opts.shellcheck ?? fromConfig.shellcheck ?? "auto",
      };
      if (opts.failureThreshold) settings.failureThreshold = opts.failureThreshold as Severity | "none";
      if (opts.fail === false) settings.noFail = true;
      if (opts.strictLabels) settings.strictLabels = true;
      if (opts.disableIgnorePragma) settings.disableIgnorePragma = true;

      const stdin = paths.includes("-") ? await io.readStdin() : undefined;
      const report = await lint({
        paths,
        cwd: io.cwd,
        stdin,
        stdinName: opts.stdinFilename,
        settings,
        contextDir: opts.context,
        fix: Boolean(opts.fix || opts.fixDryRun),
        // ShellCheck's scripts go to /dev/shm unless TMPDIR names a folder for them.
        shellcheckOptions: { path: io.env.PATH, tempDir: io.env.TMPDIR || undefined },
        jobs: opts.jobs,
      });
      if (opts.fixDryRun) {
        for (const file of report.files) if (file.fix?.diff) io.stdout.write(file.fix.diff);
      } else if (opts.fix) {
        const written = await writeFixes(report);
        for (const file of written) io.stderr.write(`drydock: fixed ${file}\n`);
      }
      const formats: LintFormat[] = opts.format ?? [(loaded.format as LintFormat | undefined) ?? "tty"];
      const outputs = opts.output ?? [];
      // The tty report mentions a missing ShellCheck itself; machine formats get a stderr note.
      const ttyOnStdout = formats.some((format, index) => format === "tty" && !outputs[index]);
      if (report.shellcheck.status === "missing" && !ttyOnStdout) {
        io.stderr.write(
          "drydock: shellcheck not found: RUN bodies were not checked (apt-get install shellcheck)\n",
        );
      }
      const color =
        opts.color !== false && !loaded.noColor && io.env.NO_COLOR === undefined && Boolean(io.stdout.isTTY);
      for (const [index, format] of formats.entries()) {
        const target = outputs[index];
        const text = renderLintReport(report, format, {
          color: target ? false : color,
          version: VERSION,
          cwd: io.cwd,
        });
        if (target) await writeFile(target, text);
        else io.stdout.write(text);
      }
      // Extra -o files without their own --format get the last format.
      for (const target of outputs.slice(formats.length)) {
        await writeFile(
          target,
          renderLintReport(report, formats[formats.length - 1]!, {
            color: false,
            version: VERSION,
            cwd: io.cwd,
          }),
        );
      }
      setExit(report.failed ? 1 : 0);
    });
}

function parseLabels(specs: string[]): LintSettings["labelSchema"] {
  const types = ["text", "url", "semver", "hash", "rfc3339", "spdx", "email"];
  const schema: LintSettings["labelSchema"] = {};
  for (const spec of specs) {
    const idx = spec.lastIndexOf(":");
    const name = idx === -1 ? spec : spec.slice(0, idx);
    const type = idx === -1 ? "text" : spec.slice(idx + 1);
    if (!types.includes(type))
      throw new UsageError(`--require-label ${spec}: format must be one of ${types.join(", ")}`);
    schema[name] = type as LintSettings["labelSchema"][string];
  }
  return schema;
}

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) {
    throw new UsageError(`--jobs ${value}: expected a whole number from 1 to 256`);
  }
  return jobs;
}
