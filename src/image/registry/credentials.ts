/**
 * Registry credentials the way the Docker CLI finds them
 * (https://docs.docker.com/reference/cli/docker/login/#credential-stores and
 * https://github.com/docker/docker-credential-helpers#development):
 *  1. explicit `username`/`password` (the CLI reads `--password-stdin`);
 *  2. `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`:
 *     `credHelpers[host]`, then `credsStore` — run `docker-credential-<name> get` with the
 *     server URL on stdin, answer `{"ServerURL","Username","Secret"}` (Username `<token>` means
 *     Secret is an identity token) — then `auths[host]` (`auth` = base64 "user:password", or
 *     `username`/`password`, or `identitytoken`).
 * Docker Hub is keyed `https://index.docker.io/v1/`. Nothing here ever puts a secret in an error.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { childProcess } from "../../builtins.ts";
import { DrydockError } from "../../errors.ts";
import { DEFAULT_REGISTRY, DOCKER_HUB_API_HOST } from "../reference.ts";

export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** OAuth2 refresh token: `identitytoken` in config.json, or a helper's `<token>` user. */
  identityToken?: string;
  /** Where they came from, for messages: "--username", "config.json", "docker-credential-pass". */
  source: string;
}

export interface CredentialOptions {
  /** Environment (`DOCKER_CONFIG`, `HOME`, and `PATH` for credential helpers). */
  env?: Record<string, string | undefined>;
  /** Home directory holding `.docker/config.json` (default: `env.HOME`). */
  homeDir?: string;
  /** Explicit credentials; they win over config.json. */
  username?: string;
  password?: string;
  /** How long a credential helper may run (default 10 s). */
  credentialHelperTimeoutMs?: number;
}

/** The config.json key Docker uses for Docker Hub. */
export const DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";
const HUB_NAMES = new Set([DEFAULT_REGISTRY, "index.docker.io", DOCKER_HUB_API_HOST, DOCKER_HUB_CONFIG_KEY]);
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HELPER_OUTPUT_LIMIT = 64 * 1024;

const authEntrySchema = z.looseObject({
  auth: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  identitytoken: z.string().optional(),
});

const dockerConfigSchema = z.looseObject({
  auths: z.record(z.string(), authEntrySchema).optional(),
  credsStore: z.string().optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
});

type DockerConfig = z.infer<typeof dockerConfigSchema>;

/** `host[:port]` from a config key such as `https://host:5000/v1/` (Docker's ConvertToHostname). */
export function configKeyHost(key: string): string {
  const bare = key.replace(/^[a-z]+:\/\//i, "");
  return bare.split("/")[0]!.toLowerCase();
}

function isHub(registry: string): boolean {
  return HUB_NAMES.has(registry.toLowerCase());
}

/** The server URL helpers and config.json know a registry by. */
export function credentialServerUrl(registry: string): string {
  return isHub(registry) ? DOCKER_HUB_CONFIG_KEY : registry;
}

export async function lookupCredentials(
  registry: string,
  options: CredentialOptions = {},
): Promise<RegistryCredentials | undefined> {
  if (options.username !== undefined) {
    return { username: options.username, password: options.password ?? "", source: "--username" };
  }
  const configPath = dockerConfigPath(options);
  if (!configPath) return undefined;
  const config = await readDockerConfig(configPath);
  if (!config) return undefined;
  const helper = helperFor(config, registry);
  if (helper) {
    const fromHelper = await runCredentialHelper(helper, credentialServerUrl(registry), options);
    if (fromHelper) return fromHelper;
  }
  return fromAuths(config, registry, configPath);
}

function dockerConfigPath(options: CredentialOptions): string | undefined {
  const env = options.env ?? {};
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, "config.json");
  const home = options.homeDir ?? env.HOME;
  return home ? join(home, ".docker", "config.json") : undefined;
}

async function readDockerConfig(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new DrydockError(
      "REGISTRY_CONFIG",
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which holds secrets: say only where.
    throw new DrydockError("REGISTRY_CONFIG", `${path}: not valid JSON`);
  }
  const parsed = dockerConfigSchema.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join(".") || "(root)";
    throw new DrydockError("REGISTRY_CONFIG", `${path}: unexpected shape at ${where}`);
  }
  return parsed.data;
}

/** Keys of a config map that name this registry, exact spellings first. */
function matchingKeys(keys: string[], registry: string): string[] {
  const host = registry.toLowerCase();
  const exact = keys.filter((k) => k === registry || (isHub(registry) && k === DOCKER_HUB_CONFIG_KEY));
  const loose = keys.filter((k) => {
    const keyHost = configKeyHost(k);
    return keyHost === host || (isHub(registry) && isHub(keyHost));
  });
  return [...new Set([...exact, ...loose])];
}

function helperFor(config: DockerConfig, registry: string): string | undefined {
  const helpers = config.credHelpers ?? {};
  const key = matchingKeys(Object.keys(helpers), registry)[0];
  const name = key !== undefined ? helpers[key] : config.credsStore;
  return name ? name : undefined;
}

function fromAuths(config: DockerConfig, registry: string, path: string): RegistryCredentials | undefined {
  const auths = config.auths ?? {};
  for (const key of matchingKeys(Object.keys(auths), registry)) {
    const entry = auths[key]!;
    if (entry.identitytoken) return { identityToken: entry.identitytoken, source: path };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon <= 0)
        throw new DrydockError(
          "REGISTRY_CONFIG",
          `${path}: the "auth" field for ${key} is not base64 of user:password`,
        );
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source: path };
    }
    if (entry.username) return { username: entry.username, password: entry.password ?? "", source: path };
  }
  return undefined;
}

const helperAnswerSchema = z.looseObject({ Username: z.string().optional(), Secret: z.string().optional() });

/** Runs `docker-credential-<name> get`; undefined when the helper has nothing for this server. */
export async function runCredentialHelper(
  name: string,
  serverUrl: string,
  options: CredentialOptions = {},
): Promise<RegistryCredentials | undefined> {
  const program = `docker-credential-${name}`;
  if (!HELPER_NAME.test(name))
    throw new DrydockError("REGISTRY_CONFIG", `invalid credential helper name "${name}"`);
  const timeoutMs = options.credentialHelperTimeoutMs ?? 10_000;
  const { code, stdout, failure } = await new Promise<{
    code: number | null;
    stdout: string;
    failure?: string;
  }>((resolve) => {
    const child = childProcess().spawn(program, ["get"], {
      env: options.env as NodeJS.ProcessEnv | undefined,
      stdio: "pipe",
    });
    const out: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: { code: number | null; stdout: string; failure?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish({ code: null, stdout: "", failure: `did not answer within ${timeoutMs / 1000}s` });
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= HELPER_OUTPUT_LIMIT) out.push(chunk);
    });
    child.stderr.resume();
    child.on("error", (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === "ENOENT" ? "is not on PATH" : `could not start (${error.code ?? "error"})`;
      finish({ code: null, stdout: "", failure: reason });
    });
    child.on("close", (exitCode) => finish({ code: exitCode, stdout: Buffer.concat(out).toString("utf8") }));
    child.stdin.on("error", () => {});
    child.stdin.end(serverUrl);
  });
  if (failure) throw new DrydockError("REGISTRY_CREDENTIALS", `credential helper ${program} ${failure}`);
  if (code !== 0) {
    // The helpers' protocol: "credentials not found in native keychain" on stdout, exit 1.
    if (/credentials not found/i.test(stdout)) return undefined;
    throw new DrydockError(
      "REGISTRY_CREDENTIALS",
      `credential helper ${program} failed (exit ${code}) for ${serverUrl}`,
    );
  }
  let answer: z.infer<typeof helperAnswerSchema>;
  try {
    answer = helperAnswerSchema.parse(JSON.parse(stdout));
  } catch {
    throw new DrydockError(
      "REGISTRY_CREDENTIALS",
      `credential helper ${program} gave an answer that is not its JSON`,
    );
  }
  if (!answer.Secret && !answer.Username) return undefined;
  if (answer.Username === "<token>") return { identityToken: answer.Secret ?? "", source: program };
  return { username: answer.Username ?? "", password: answer.Secret ?? "", source: program };
}
