import { homedir } from "node:os";
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import type { ImageSourceProviders } from "../image/providers.ts";
import type { RegistryOptions } from "../image/registry/client.ts";
import type { Platform } from "../image/types.ts";
import { collect } from "./collect.ts";
import type { CliIO } from "./io.ts";

/** Flags every command that reads an image shares. */
export interface ImageCliOptions {
  platform?: string;
  username?: string;
  passwordStdin?: boolean;
  caCert?: string;
  insecureRegistry?: string[];
  timeout?: string;
  verifyDigests?: boolean;
}

/** `--scope`: which packages of an image count (sbom, scan). */
export function scopeOption() {
  return new Option(
    "--scope <scope>",
    "squashed: what the container sees; all-layers: also packages later removed",
  )
    .choices(["squashed", "all-layers"] as const)
    .default("squashed" as const);
}

/** Adds the shared image-source flags to a command. */
export function addImageOptions<C extends CommandUnknownOpts>(command: C): C {
  return command
    .option(
      "--platform <os/arch[/variant]>",
      "platform to pick from a multi-platform image (default: this machine's)",
    )
    .option("--username <name>", "registry user name (default: ~/.docker/config.json or a credential helper)")
    .option("--password-stdin", "read the registry password or token from stdin")
    .option("--ca-cert <file>", "extra CA certificate (PEM) to trust for the registry")
    .option("--insecure-registry <host>", "allow plain HTTP or unverified TLS for HOST (repeatable)", collect)
    .option("--timeout <seconds>", "network timeout per request (default 30)")
    .option(
      "--verify-digests",
      "also check the digests of layers in local archives and layouts (hash every byte; read uncompressed layers whole instead of seeking)",
    ) as C;
}

export interface ImageSourceSetup {
  platform?: Platform;
  providers: ImageSourceProviders;
  registry: RegistryOptions;
}

/** Builds the providers from flags and the environment (DOCKER_HOST, DOCKER_CONFIG, HOME). */
export async function imageSourceSetup(opts: ImageCliOptions, io: CliIO): Promise<ImageSourceSetup> {
  const [{ parsePlatform }, { defaultProviders }] = await Promise.all([
    import("../image/types.ts"),
    import("../image/providers.ts"),
  ]);
  let platform: Platform | undefined;
  try {
    platform = opts.platform ? parsePlatform(opts.platform) : undefined;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let password: string | undefined;
  if (opts.passwordStdin) {
    if (!opts.username) throw new UsageError("--password-stdin needs --username");
    password = (await io.readStdin()).replace(/\r?\n$/, "");
  }
  let timeoutMs: number | undefined;
  if (opts.timeout !== undefined) {
    const seconds = Number(opts.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new UsageError(`--timeout ${opts.timeout}: not a positive number`);
    timeoutMs = seconds * 1000;
  }
  const registry: RegistryOptions = {
    env: io.env,
    homeDir: io.env.HOME ?? homedir(),
    username: opts.username,
    password,
    caCert: opts.caCert,
    insecureRegistries: opts.insecureRegistry,
    timeoutMs,
  };
  const providers = defaultProviders({
    registry,
    daemon: { host: io.env.DOCKER_HOST },
    verifyLocalLayers: opts.verifyDigests,
  });
  return { platform, providers, registry };
}
