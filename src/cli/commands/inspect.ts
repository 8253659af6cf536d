import { writeFile } from "node:fs/promises";
import { type Command, Option } from "@commander-js/extra-typings";
import {
  inspectImage,
  openImage,
  type Platform,
  parsePlatform,
  renderInspectText,
  UsageError,
} from "../../index.ts";
import { type CliIO, useColor } from "../io.ts";

export function registerInspect(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("inspect")
    .description(
      "Show an image's reference, digests, platform, config and layers (with file counts), read from a docker-archive, an OCI layout, a registry or the Docker daemon.",
    )
    .argument(
      "<image>",
      "image: docker-archive:PATH[:REF], oci:DIR[:TAG], oci-archive:PATH[:TAG], registry:REF, docker-daemon:REF, a path, or a reference",
    )
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json"] as const)
        .default("text" as const),
    )
    .option("-o, --output <file>", "write the report to FILE instead of stdout")
    .option(
      "--platform <os/arch[/variant]>",
      "platform to pick from a multi-platform image (default: this machine's)",
    )
    .option("--no-color", "disable colours (also NO_COLOR)")
    .addHelpText(
      "after",
      `
Examples:
  drydock inspect docker-archive:app.tar          output of docker save
  drydock inspect oci:./layout:1.0 --format json  an OCI image layout
  drydock inspect registry:127.0.0.1:5000/app:1   a registry (Distribution API v2)
  drydock inspect docker-daemon:app:latest        the local Docker engine, no docker CLI needed`,
    )
    .action(async (image, opts) => {
      let platform: Platform | undefined;
      try {
        platform = opts.platform ? parsePlatform(opts.platform) : undefined;
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const handle = await openImage(image, { platform });
      try {
        const result = await inspectImage(handle);
        const text =
          opts.format === "json"
            ? `${JSON.stringify(result, null, 2)}\n`
            : renderInspectText(result, { color: !opts.output && useColor(io, opts.color) });
        if (opts.output) await writeFile(opts.output, text);
        else io.stdout.write(text);
      } finally {
        await handle.close?.();
      }
      setExit(0);
    });
}
