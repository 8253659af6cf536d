import { writeFile } from "node:fs/promises";
import { type Command, Option } from "@commander-js/extra-typings";
import { UsageError } from "../../errors.ts";
import { addImageOptions, type ImageCliOptions, imageSourceSetup } from "../image-options.ts";
import { type CliIO, useColor } from "../io.ts";

export function registerInspect(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command("inspect")
    .description(
      "Show an image's reference, digests, platform, config and layers (with file counts), read from a docker-archive, an OCI layout, a registry or the Docker daemon.",
    )
    .argument(
      "<image>",
      "docker-archive:PATH[:REF], oci:DIR[:TAG], oci-archive:PATH[:TAG], registry:REF, docker-daemon:REF, a path, or a reference",
    )
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json"] as const)
        .default("text" as const),
    )
    .option("-o, --output <file>", "write the report to FILE instead of stdout")
    .option("--platforms", "list the platforms of a multi-platform image in a registry, then stop")
    .option("--no-color", "disable colours (also NO_COLOR)");
  addImageOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  drydock inspect docker-archive:app.tar          output of docker save (any Docker version)
  drydock inspect oci:./layout:1.0 --format json  an OCI image layout
  drydock inspect registry:127.0.0.1:5000/app:1   a registry (Distribution API v2)
  drydock inspect docker-daemon:app:latest        the local Docker engine (DOCKER_HOST), no docker CLI
  drydock inspect --platforms registry:ghcr.io/org/app:1`,
    )
    .action(async (image, opts) => {
      const [{ inspectImage }, { openImage, parseImageSpec }, { parseReference }, types, textReport] =
        await Promise.all([
          import("../../image/inspect.ts"),
          import("../../image/open.ts"),
          import("../../image/reference.ts"),
          import("../../image/types.ts"),
          import("../../report/inspect/text.ts"),
        ]);
      const setup = await imageSourceSetup(opts as ImageCliOptions, io);
      if (opts.platforms) {
        // Only --platforms needs the registry's modules here (openImage loads them for registry:).
        const registry = await import("../../image/registry/provider.ts");
        const spec = parseImageSpec(image);
        if (spec.transport !== "registry" && spec.transport !== "auto") {
          throw new UsageError("--platforms lists the platforms of a registry image (registry:REF)");
        }
        const listed = await registry.listRegistryPlatforms(parseReference(spec.reference!), setup.registry);
        const text =
          opts.format === "json"
            ? `${JSON.stringify(listed, null, 2)}\n`
            : `${listed.reference}  ${listed.digest}\n${listed.manifests
                .map((m) => `  ${types.platformString(m.platform).padEnd(20)} ${m.digest}`)
                .join("\n")}\n`;
        io.stdout.write(text);
        setExit(0);
        return;
      }
      const handle = await openImage(image, { platform: setup.platform, providers: setup.providers });
      try {
        const result = await inspectImage(handle);
        const text =
          opts.format === "json"
            ? `${JSON.stringify(result, null, 2)}\n`
            : textReport.renderInspectText(result, { color: !opts.output && useColor(io, opts.color) });
        if (opts.output) await writeFile(opts.output, text);
        else io.stdout.write(text);
      } finally {
        await handle.close?.();
      }
      setExit(0);
    });
}
