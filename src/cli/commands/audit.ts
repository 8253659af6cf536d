import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { type Command, Option } from "@commander-js/extra-typings";
import type { AuditDockerfile } from "../../audit/audit.ts";
import type { CiThresholds } from "../../audit/ci.ts";
import { UsageError } from "../../errors.ts";
import { addImageOptions, type ImageCliOptions, imageSourceSetup } from "../image-options.ts";
import { type CliIO, useColor } from "../io.ts";

/** dive's truthy values for the CI variable (options/ci.go). */
const truthy = (value: string | undefined) => value === "true" || value === "1" || value === "yes";

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--top: '${value}' is not a positive whole number`);
  return n;
}

/** The Dockerfile to match: --dockerfile, the config's, or one beside the build context. */
async function findDockerfile(
  io: CliIO,
  image: string,
  given: string | undefined,
  target: string | undefined,
): Promise<AuditDockerfile | undefined> {
  if (given !== undefined) {
    const path = resolve(io.cwd, given);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      throw new UsageError(`--dockerfile ${given}: cannot read the file`);
    }
    return { path: given, text, ...(target ? { target } : {}) };
  }
  const candidates = [join(io.cwd, "Dockerfile")];
  const { parseImageSpec } = await import("../../image/open.ts");
  try {
    const spec = parseImageSpec(image);
    if ("path" in spec && spec.path) candidates.push(join(dirname(resolve(io.cwd, spec.path)), "Dockerfile"));
  } catch {
    // Not a path: only the working directory is searched.
  }
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    return { path, text: await readFile(path, "utf8"), auto: true, ...(target ? { target } : {}) };
  }
  return undefined;
}

export function registerAudit(program: Command, io: CliIO, setExit: (code: number) => void): void {
  addImageOptions(
    program
      .command("audit")
      .description(
        "Where an image's bytes go: layers, dive's efficiency numbers and corrected ones, caches and other bloat left behind, secrets, the largest files, and the Dockerfile line to change with the bytes it saves. --ci gates on dive's rules (.dive-ci).",
      )
      .argument(
        "<image>",
        "image: docker-archive:PATH[:REF], oci:DIR[:TAG], oci-archive:PATH[:TAG], registry:REF, docker-daemon:REF, a path, or a reference",
      )
      .addOption(
        new Option("--format <format>", "output format (dive-json: dive's --json shape)")
          .choices(["text", "json", "dive-json"] as const)
          .default("text" as const),
      )
      .option("-o, --output <file>", "write the report to FILE instead of stdout")
      .option("--base <image>", "the base image: its layers (same diffIDs) are not counted as yours")
      .option(
        "--dockerfile <path>",
        "Dockerfile the image was built from (default: ./Dockerfile when it matches)",
      )
      .option("--target <stage>", "the Dockerfile stage the image was built from (default: the last)")
      .option("--top <n>", "rows in each list (default 10)")
      .option("--by-layer", "also list the largest files of each layer")
      .option(
        "--ci",
        "evaluate the CI rules and exit 1 when one fails (also when CI=true and stdout is not a terminal)",
      )
      .option("--ci-config <file>", "dive CI rules file (default .dive-ci when present)")
      .option("--lowest-efficiency <ratio>", "CI: fail below this dive efficiency, 0-1 (default 0.9)")
      .option(
        "--highest-wasted-bytes <size>",
        "CI: fail above these dive wasted bytes, e.g. 20MB (default off)",
      )
      .option(
        "--highest-user-wasted-percent <ratio>",
        "CI: fail above this dive user-wasted ratio, 0-1 (default 0.1)",
      )
      .option("--max-size <size>", "CI: fail when the image's file bytes exceed SIZE (default off)")
      .option("--max-reclaimable <size>", "CI: fail when the reclaimable bytes exceed SIZE (default off)")
      .addOption(new Option("--lowestEfficiency <ratio>").hideHelp())
      .addOption(new Option("--highestWastedBytes <size>").hideHelp())
      .addOption(new Option("--highestUserWastedPercent <ratio>").hideHelp())
      .option("--no-color", "disable colours (also NO_COLOR)"),
  )
    .addHelpText(
      "after",
      `
Examples:
  drydock audit docker-archive:app.tar --dockerfile Dockerfile
  drydock audit app:latest --base debian:bookworm-slim
  drydock audit oci:./layout --ci --lowest-efficiency 0.95 --max-reclaimable 10MB
  drydock audit app.tar --format json -o audit.json

Settings: the audit: section of .drydock.yaml (lowest-efficiency, highest-wasted-bytes,
highest-user-wasted-percent, max-size, max-reclaimable, ci, ci-config, base, dockerfile, top),
then .dive-ci rules (camelCase or kebab-case keys), then these flags.`,
    )
    .action(async (image, opts) => {
      const [{ audit }, { DEFAULT_CI_THRESHOLDS }, { loadAuditConfig }, { openImage }] = await Promise.all([
        import("../../audit/audit.ts"),
        import("../../audit/ci.ts"),
        import("../../audit/config.ts"),
        import("../../image/open.ts"),
      ]);
      const setup = await imageSourceSetup(opts as ImageCliOptions, io);
      const settings = await loadAuditConfig({ cwd: io.cwd, ciConfig: opts.ciConfig });
      const top = opts.top !== undefined ? positiveInteger(opts.top) : (settings.top ?? 10);
      const flagThresholds: Partial<CiThresholds> = Object.fromEntries(
        Object.entries({
          lowestEfficiency: opts.lowestEfficiency,
          highestWastedBytes: opts.highestWastedBytes,
          highestUserWastedPercent: opts.highestUserWastedPercent,
          maxSize: opts.maxSize,
          maxReclaimable: opts.maxReclaimable,
        }).filter(([, v]) => v !== undefined),
      );
      const thresholds: CiThresholds = {
        ...DEFAULT_CI_THRESHOLDS,
        ...settings.thresholds,
        ...flagThresholds,
      };
      const ci = Boolean(opts.ci) || settings.ci === true || (truthy(io.env.CI) && !io.stdout.isTTY);
      const dockerfile = await findDockerfile(io, image, opts.dockerfile ?? settings.dockerfile, opts.target);

      const handle = await openImage(image, { platform: setup.platform, providers: setup.providers });
      try {
        const result = await audit(handle, {
          base: opts.base ?? settings.base,
          openBase: async (reference) =>
            openImage(reference, { platform: (await handle.resolve()).platform, providers: setup.providers }),
          ...(dockerfile ? { dockerfile } : {}),
          top,
          byLayer: Boolean(opts.byLayer),
          ...(ci ? { ci: thresholds } : {}),
        });
        // Only the renderer asked for is loaded.
        const text =
          opts.format === "text"
            ? (await import("../../report/audit/text.ts")).renderAuditText(result, {
                color: !opts.output && useColor(io, opts.color),
                top,
              })
            : opts.format === "json"
              ? (await import("../../report/audit/json.ts")).renderAuditJson(result)
              : (await import("../../report/audit/json.ts")).renderDiveJson(result);
        if (opts.output) await writeFile(opts.output, text);
        else io.stdout.write(text);
        setExit(result.ci && !result.ci.pass ? 1 : 0);
      } finally {
        await handle.close?.();
      }
    });
}
