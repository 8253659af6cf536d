import { homedir } from "node:os";
import { resolve } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../../errors.ts";
import { type CliIO, useColor } from "../io.ts";
import { adviceOptions, securityOption } from "./advise.ts";

export function registerInit(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("init")
    .description(
      "Write a Dockerfile and .dockerignore for a project: multi-stage, version ARG, manifests before source, BuildKit cache mounts, non-root user, exec-form CMD, HEALTHCHECK and a `debug` target. Prints what it detected and why; never overwrites without --force.",
    )
    .argument("[dir]", "project folder", ".")
    .option("--stdout", "print the Dockerfile to stdout (the summary goes to stderr); write nothing")
    .option("--write", "write Dockerfile and .dockerignore into the app folder (the default)")
    .option("--force", "overwrite an existing Dockerfile and .dockerignore")
    .option(
      "--syntax",
      "add `# syntax=docker/dockerfile:1` (needs a builder that can fetch the frontend image)",
    )
    .option("--path <app>", "the app's folder inside the project (monorepos)")
    .option("--arch <list>", "architectures the image must run on, comma-separated (default amd64,arm64)")
    .addOption(securityOption())
    .option("--enterprise", "prefer Red Hat UBI images")
    .option("--shell", "keep a shell in the runtime image for debugging")
    .option("--no-color", "disable colours (also NO_COLOR)")
    .addHelpText(
      "after",
      `
Exit codes: 0 written (or printed), 1 a Dockerfile exists (use --force), 2 usage error.

Examples:
  drydock init                            write ./Dockerfile and ./.dockerignore
  drydock init examples/go-http --stdout  print the Dockerfile only
  drydock init . --security max --force   hardened runtime, replace the existing files`,
    )
    .action(async (dir, opts) => {
      if (opts.stdout && opts.write) throw new UsageError("--stdout and --write exclude each other");
      const [{ loadLintConfig }, { init, writeInit }, { renderInitText }] = await Promise.all([
        import("../../config/lint-config.ts"),
        import("../../generate/init.ts"),
        import("../../report/advise/init.ts"),
      ]);
      const appDir = resolve(io.cwd, dir, opts.path ?? ".");
      const config = await loadLintConfig({ cwd: appDir, env: io.env, home: io.env.HOME ?? homedir() });
      const result = await init({
        ...(await adviceOptions(io, dir, opts)),
        syntax: Boolean(opts.syntax),
        lintSettings: { ...config.settings, shellcheck: config.settings.shellcheck ?? "auto" },
        ...(io.env.PATH !== undefined ? { shellcheckPath: io.env.PATH } : {}),
      });
      const color = useColor(io, opts.color);
      if (opts.stdout) {
        io.stdout.write(result.dockerfile.content);
        io.stderr.write(renderInitText(result, { color: false }));
      } else {
        const outcome = await writeInit(result, { force: Boolean(opts.force) });
        io.stdout.write(renderInitText(result, { color, outcome }));
      }
      setExit(0);
    });
}
