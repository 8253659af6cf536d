import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { UsageError } from "../../errors.ts";
import { isSbomFormat, SBOM_FORMATS, type SbomFormat } from "../../sbom/formats/names.ts";
import { VERSION } from "../../version.ts";
import { collect } from "../collect.ts";
import { addImageOptions, type ImageCliOptions, imageSourceSetup, scopeOption } from "../image-options.ts";
import type { CliIO } from "../io.ts";

interface OutputSpec {
  format: SbomFormat;
  file?: string;
}

/** `-o FORMAT[=FILE]`: `cyclonedx-json=bom.json`; aliases as syft spells them. */
export function parseOutputSpec(text: string): OutputSpec {
  const eq = text.indexOf("=");
  const name = (eq < 0 ? text : text.slice(0, eq)).trim();
  const file = eq < 0 ? undefined : text.slice(eq + 1);
  const aliases: Record<string, SbomFormat> = {
    cyclonedx: "cyclonedx-json",
    "cyclonedx-json@1.6": "cyclonedx-json@1.6",
    spdx: "spdx-json",
    "drydock-json": "json",
    text: "table",
  };
  const format = aliases[name] ?? name;
  if (!isSbomFormat(format)) {
    throw new UsageError(`unknown SBOM format "${name}" (choose from ${SBOM_FORMATS.join(", ")})`);
  }
  if (file === "") throw new UsageError(`-o ${text}: missing file name after "="`);
  return { format, ...(file ? { file } : {}) };
}

/** SOURCE_DATE_EPOCH (reproducible-builds.org) fixes the document time for byte-identical output. */
export function documentTime(env: Record<string, string | undefined>): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === "") return new Date();
  if (!/^\d+$/.test(epoch))
    throw new UsageError(`SOURCE_DATE_EPOCH must be a number of seconds, not "${epoch}"`);
  return new Date(Number(epoch) * 1000);
}

export function registerSbom(program: Command, io: CliIO, setExit: (code: number) => void): void {
  addImageOptions(
    program
      .command("sbom")
      .description(
        "List every package in an image or a directory (OS packages and language packages, with the layer that brought each) as CycloneDX, SPDX, drydock JSON or a table.",
      )
      .argument(
        "<target>",
        "image (docker-archive:PATH, oci:DIR, oci-archive:PATH, registry:REF, docker-daemon:REF, a path, a reference) or a directory (DIR or dir:DIR)",
      )
      .option(
        "-o, --output <format[=file]>",
        `output format, repeatable, each to stdout or a file: ${SBOM_FORMATS.join(", ")} (default: table)`,
        collect,
      )
      .addOption(scopeOption())
      .option("--catalogers <names>", "comma-separated catalogers to run (default: all)"),
  )
    .addHelpText(
      "after",
      `
Examples:
  drydock sbom docker-archive:app.tar -o cyclonedx-json=bom.cdx.json -o table
  drydock sbom docker-daemon:app:latest -o spdx-json > app.spdx.json
  drydock sbom ./rootfs --scope squashed -o json
  SOURCE_DATE_EPOCH=0 drydock sbom oci:./layout -o cyclonedx-json@1.5   byte-identical output`,
    )
    .action(async (target, opts) => {
      const outputs = (opts.output ?? ["table"]).map(parseOutputSpec);
      if (outputs.filter((o) => !o.file).length > 1) {
        throw new UsageError("only one -o FORMAT can go to stdout; give the others =FILE");
      }
      const timestamp = documentTime(io.env);
      const [{ sbom }, { renderSbom }] = await Promise.all([
        import("../../sbom/api.ts"),
        import("../../sbom/formats/index.ts"),
      ]);
      const setup = await imageSourceSetup(opts as ImageCliOptions, io);
      const catalogers = opts.catalogers
        ?.split(",")
        .map((c) => c.trim())
        .filter(Boolean);
      const result = await sbom({
        target,
        cwd: io.cwd,
        scope: opts.scope,
        providers: setup.providers,
        ...(setup.platform ? { platform: setup.platform } : {}),
        ...(catalogers ? { catalogers } : {}),
      });
      for (const output of outputs) {
        const text = renderSbom(result, output.format, { timestamp, toolVersion: VERSION });
        if (output.file) await writeFile(resolve(io.cwd, output.file), text);
        else io.stdout.write(text);
      }
      setExit(0);
    });
}
