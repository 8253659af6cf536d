import { type Command, Option } from "@commander-js/extra-typings";
import type { AdviseOptions } from "../../advise/advise.ts";
import { type CliIO, useColor } from "../io.ts";

export function securityOption() {
  return new Option(
    "--security <level>",
    "balanced, or max: prefer hardened runtimes (distroless, chiseled)",
  ).choices(["balanced", "max"] as const);
}

/** The advise options the advise, check and init flags give (loads the advise library). */
export async function adviceOptions(
  io: CliIO,
  dir: string,
  opts: { path?: string; arch?: string; security?: string; enterprise?: boolean; shell?: boolean },
): Promise<AdviseOptions> {
  const { parseArches } = await import("../../advise/advise.ts");
  return {
    dir,
    cwd: io.cwd,
    ...(opts.path ? { path: opts.path } : {}),
    ...(opts.arch ? { arches: parseArches(opts.arch) } : {}),
    ...(opts.security ? { security: opts.security as "balanced" | "max" } : {}),
    ...(opts.enterprise ? { enterprise: true } : {}),
    ...(opts.shell ? { shell: true } : {}),
  };
}

export function registerAdvise(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("advise")
    .description(
      "Choose the builder and runtime base images for a project, with reasons from its own files: runtime version and where it came from, lockfile native code (wheel tags, install scripts), ranked alternatives and what was ruled out.",
    )
    .argument("[dir]", "project folder", ".")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json"] as const)
        .default("text" as const),
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
Exit codes: 0 advice printed, 2 usage error (no project found, several apps without --path).

Examples:
  drydock advise                          the project in the current folder
  drydock advise examples/python-flask --format json
  drydock advise . --arch amd64,arm64,s390x --security max
  drydock advise repo --path services/api  one app of a monorepo`,
    )
    .action(async (dir, opts) => {
      const [{ advise }, { renderAdviseText }] = await Promise.all([
        import("../../advise/advise.ts"),
        import("../../report/advise/text.ts"),
      ]);
      const report = await advise(await adviceOptions(io, dir, opts));
      io.stdout.write(
        opts.format === "json"
          ? `${JSON.stringify(report, null, 2)}\n`
          : renderAdviseText(report, { color: useColor(io, opts.color) }),
      );
      setExit(0);
    });
}
