import { homedir } from "node:os";
import { resolve } from "node:path";
import { type Command, Option } from "@commander-js/extra-typings";
import { type CliIO, useColor } from "../io.ts";
import { adviceOptions, securityOption } from "./advise.ts";

export function registerCheck(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("check")
    .description(
      "Check a project in one command: what it is and which base images suit it, lint of every Dockerfile (or of the one `drydock init` would write), and with --image a summary of the built image.",
    )
    .argument("[dir]", "project folder", ".")
    .option("--image <image>", "also check this image (any `drydock inspect` source)")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json"] as const)
        .default("text" as const),
    )
    .option(
      "-c, --config <file>",
      "lint config file (default: .hadolint.yaml lookup from the project, then .drydock.yaml)",
    )
    .option("--verbose", "show every detail line")
    .option("--path <app>", "the app's folder inside the project (monorepos)")
    .option("--arch <list>", "architectures the image must run on, comma-separated (default amd64,arm64)")
    .addOption(securityOption())
    .option("--enterprise", "prefer Red Hat UBI images")
    .option("--shell", "keep a shell in the runtime image for debugging")
    .option("--no-color", "disable colours (also NO_COLOR)")
    .addHelpText(
      "after",
      `
Exit codes: 0 no lint finding reaches the failure threshold, 1 one does, 2 usage error.

Examples:
  drydock check examples/python-flask     the bundled example
  drydock check . --image docker-daemon:app:latest
  drydock check repo --path services/api --format json`,
    )
    .action(async (dir, opts) => {
      const [{ loadLintConfig }, { check }, { renderCheckText }] = await Promise.all([
        import("../../config/lint-config.ts"),
        import("../../check/check.ts"),
        import("../../report/check/text.ts"),
      ]);
      const projectDir = resolve(io.cwd, dir, opts.path ?? ".");
      const config = await loadLintConfig(
        { cwd: projectDir, env: io.env, home: io.env.HOME ?? homedir() },
        opts.config,
      );
      const report = await check({
        ...(await adviceOptions(io, dir, opts)),
        ...(opts.image ? { image: opts.image } : {}),
        lintSettings: { ...config.settings, shellcheck: config.settings.shellcheck ?? "auto" },
        ...(io.env.PATH !== undefined ? { shellcheckPath: io.env.PATH } : {}),
      });
      io.stdout.write(
        opts.format === "json"
          ? `${JSON.stringify(report, null, 2)}\n`
          : renderCheckText(report, { color: useColor(io, opts.color), verbose: Boolean(opts.verbose) }),
      );
      setExit(report.failed ? 1 : 0);
    });
}
