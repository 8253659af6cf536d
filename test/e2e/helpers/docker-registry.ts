/**
 * Real registries for end-to-end tests: Debian's `docker-registry` (Distribution 2.x) on a free
 * 127.0.0.1 port with storage in a temp dir, with no auth, htpasswd Basic auth, or token auth
 * (https://distribution.github.io/distribution/about/configuration/#auth) backed by a token
 * server written here (node:http) that signs RS256 JWTs with a key made in the test; the
 * registry trusts it through a self-signed certificate (`openssl req -x509`) in its
 * rootcertbundle, and the JWT header carries that certificate (x5c).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer } from "node:net";
import { join } from "node:path";

/** Fails (never skips) with an install hint when a tool the tests need is missing. */
export function requireTool(command: string, hint: string): void {
  const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  if (found.status !== 0) throw new Error(`${command} not found on PATH: ${hint}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type RegistryAuth =
  | { kind: "none" }
  | { kind: "htpasswd"; path: string }
  | { kind: "token"; realm: string; service: string; issuer: string; rootCertBundle: string };

export interface RegistryProcess {
  host: string;
  stop(): Promise<void>;
  /** The registry's own log (for failure messages). */
  log(): string;
}

function authYaml(auth: RegistryAuth): string {
  switch (auth.kind) {
    case "none":
      return "";
    case "htpasswd":
      return `auth:\n  htpasswd:\n    realm: drydock-e2e\n    path: ${auth.path}\n`;
    case "token":
      return [
        "auth:",
        "  token:",
        `    realm: ${auth.realm}`,
        `    service: ${auth.service}`,
        `    issuer: ${auth.issuer}`,
        `    rootcertbundle: ${auth.rootCertBundle}`,
        "",
      ].join("\n");
  }
}

/** Starts `docker-registry serve CONFIG` and waits until `GET /v2/` answers. */
export async function startDockerRegistry(dir: string, auth: RegistryAuth): Promise<RegistryProcess> {
  mkdirSync(join(dir, "storage"), { recursive: true });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const configPath = join(dir, "config.yml");
  writeFileSync(
    configPath,
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${join(dir, "storage")}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: ${host}`,
      `  secret: ${randomBytes(16).toString("hex")}`,
      authYaml(auth),
    ].join("\n"),
  );
  const child: ChildProcess = spawn("docker-registry", ["serve", configPath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-16_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", (code) => {
      exited = code;
      resolve();
    }),
  );
  const stop = async () => {
    if (exited !== undefined) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`docker-registry exited (${exited}) at start:\n${output}`);
    try {
      const response = await fetch(`http://${host}/v2/`);
      await response.body?.cancel();
      if (response.status === 200 || response.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on ${host} within 30s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { host, stop, log: () => output };
}

/** An htpasswd file with bcrypt hashes (the only kind the registry accepts). */
export async function writeHtpasswd(path: string, users: Record<string, string>): Promise<void> {
  const { hashSync } = (await import("bcryptjs")).default;
  const lines = Object.entries(users).map(([user, password]) => `${user}:${hashSync(password, 10)}`);
  writeFileSync(path, `${lines.join("\n")}\n`);
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate for the registry's rootcertbundle. */
  certPath: string;
  /** Every token request: scopes asked for and the account that asked (undefined = anonymous). */
  requests: Array<{ scopes: string[]; service: string | null; account?: string }>;
  stop(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/**
 * A token server (distribution docs/spec/auth/token.md): `GET /token?service=&scope=` with
 * optional Basic auth. Known users get every action they ask for; anonymous callers get a
 * token with no access (so the registry refuses them); a wrong password gets 401.
 */
export async function startTokenServer(dir: string, users: Record<string, string>): Promise<TokenServer> {
  mkdirSync(dir, { recursive: true });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyPath = join(dir, "token-key.pem");
  const certPath = join(dir, "token-cert.pem");
  writeFileSync(keyPath, privateKey.export({ type: "pkcs8", format: "pem" }));
  const made = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-new",
      "-key",
      keyPath,
      "-out",
      certPath,
      "-days",
      "2",
      "-subj",
      "/CN=drydock-e2e-token-issuer",
    ],
    { encoding: "utf8" },
  );
  if (made.status !== 0) throw new Error(`openssl req -x509 failed: ${made.stderr}`);
  const certDer = Buffer.from(
    readFileSync(certPath, "utf8")
      .replace(/-----(BEGIN|END) CERTIFICATE-----/g, "")
      .replace(/\s+/g, ""),
    "base64",
  );
  const signingKey = createPrivateKey(readFileSync(keyPath));
  const service = "drydock-e2e-registry";
  const issuer = "drydock-e2e-token-issuer";
  const requests: TokenServer["requests"] = [];

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://token");
    if (url.pathname !== "/token") {
      res.writeHead(404).end();
      return;
    }
    let account: string | undefined;
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
      if (users[user] === undefined || users[user] !== password) {
        res
          .writeHead(401, { "content-type": "application/json" })
          .end(JSON.stringify({ details: "invalid credentials" }));
        return;
      }
      account = user;
    }
    const scopes = url.searchParams.getAll("scope");
    requests.push({ scopes, service: url.searchParams.get("service"), account });
    const access = account
      ? scopes.map((scope) => {
          const parts = scope.split(":");
          return { type: parts[0], name: parts.slice(1, -1).join(":"), actions: parts.at(-1)!.split(",") };
        })
      : [];
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: "JWT", alg: "RS256", x5c: [certDer.toString("base64")] };
    const claims = {
      iss: issuer,
      sub: account ?? "",
      aud: service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString("hex"),
      access,
    };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign("sha256", Buffer.from(signingInput), signingKey);
    const token = `${signingInput}.${b64url(signature)}`;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }),
    );
  };

  const server = createServer(handler);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
