import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DrydockError } from "../../errors.ts";
import { configKeyHost, credentialServerUrl, lookupCredentials } from "./credentials.ts";

let dir: string;
let bin: string;
let helperLog: string;

/** A docker-credential-* program in the test's own PATH directory. */
function writeHelper(name: string, body: string): void {
  const path = join(bin, `docker-credential-${name}`);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

function home(config: unknown): string {
  const homeDir = mkdtempSync(join(dir, "home-"));
  mkdirSync(join(homeDir, ".docker"));
  writeFileSync(
    join(homeDir, ".docker", "config.json"),
    typeof config === "string" ? config : JSON.stringify(config),
  );
  return homeDir;
}

const b64 = (text: string) => Buffer.from(text).toString("base64");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "drydock-creds-"));
  bin = join(dir, "bin");
  mkdirSync(bin);
  helperLog = join(dir, "helper.log");
  writeHelper(
    "fake",
    [
      "server=$(cat)",
      'printf "%s\\n" "$server" >> "$FAKE_HELPER_LOG"',
      'case "$server" in',
      '  "127.0.0.1:5000") printf \'{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}\' "$server" ;;',
      '  "https://index.docker.io/v1/") printf \'{"ServerURL":"%s","Username":"<token>","Secret":"hub-refresh"}\' "$server" ;;',
      '  *) echo "credentials not found in native keychain"; exit 1 ;;',
      "esac",
    ].join("\n"),
  );
  writeHelper("slow", "sleep 5");
  writeHelper("broken", "echo 'helper-secret leaked?' >&2\nexit 3");
  writeHelper("garbage", "echo 'not json'");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ PATH: `${bin}:/usr/bin:/bin`, FAKE_HELPER_LOG: helperLog });

describe("lookupCredentials", () => {
  it("prefers explicit --username/--password", async () => {
    const homeDir = home({ auths: { "127.0.0.1:5000": { auth: b64("file:pw") } } });
    expect(await lookupCredentials("127.0.0.1:5000", { homeDir, username: "cli", password: "pw" })).toEqual({
      username: "cli",
      password: "pw",
      source: "--username",
    });
  });

  it("decodes a base64 auth entry, with the key written as a URL", async () => {
    const homeDir = home({ auths: { "https://127.0.0.1:5000/v2/": { auth: b64("alice:pa:ss") } } });
    expect(await lookupCredentials("127.0.0.1:5000", { homeDir })).toMatchObject({
      username: "alice",
      password: "pa:ss",
    });
    expect(await lookupCredentials("127.0.0.1:5001", { homeDir })).toBeUndefined();
  });

  it("reads username/password and identitytoken entries", async () => {
    const homeDir = home({
      auths: {
        "reg.example:443": { username: "bob", password: "pw" },
        "oauth.example": { identitytoken: "refresh" },
      },
    });
    expect(await lookupCredentials("reg.example:443", { homeDir })).toMatchObject({
      username: "bob",
      password: "pw",
    });
    expect(await lookupCredentials("oauth.example", { homeDir })).toMatchObject({ identityToken: "refresh" });
  });

  it("finds Docker Hub under https://index.docker.io/v1/", async () => {
    const homeDir = home({ auths: { "https://index.docker.io/v1/": { auth: b64("hubuser:hubpw") } } });
    expect(await lookupCredentials("docker.io", { homeDir })).toMatchObject({
      username: "hubuser",
      password: "hubpw",
    });
    expect(credentialServerUrl("docker.io")).toBe("https://index.docker.io/v1/");
    expect(credentialServerUrl("127.0.0.1:5000")).toBe("127.0.0.1:5000");
    expect(configKeyHost("HTTPS://Reg.Example:5000/v1/")).toBe("reg.example:5000");
  });

  it("lets DOCKER_CONFIG override the home directory", async () => {
    const homeDir = home({ auths: { "127.0.0.1:5000": { auth: b64("home:pw") } } });
    const other = home({ auths: { "127.0.0.1:5000": { auth: b64("override:pw") } } });
    const found = await lookupCredentials("127.0.0.1:5000", {
      homeDir,
      env: { DOCKER_CONFIG: join(other, ".docker") },
    });
    expect(found).toMatchObject({ username: "override" });
    expect(await lookupCredentials("127.0.0.1:5000", { env: { HOME: homeDir } })).toMatchObject({
      username: "home",
    });
  });

  it("returns nothing without a config, and a secret-free error for a broken one", async () => {
    expect(await lookupCredentials("127.0.0.1:5000", { homeDir: join(dir, "nowhere") })).toBeUndefined();
    const homeDir = home('{"auths": {"x": {"auth": "c2VjcmV0LXZhbHVl"}');
    const error = await lookupCredentials("x", { homeDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrydockError);
    expect((error as DrydockError).code).toBe("REGISTRY_CONFIG");
    expect((error as DrydockError).message).not.toContain("c2VjcmV0");
    const bad = home({ auths: { x: { auth: b64("no-colon") } } });
    const badAuth = (await lookupCredentials("x", { homeDir: bad }).catch((e: unknown) => e)) as DrydockError;
    expect(badAuth.message).toMatch(/not base64 of user:password/);
    expect(badAuth.message).not.toContain("no-colon");
  });

  it("runs credHelpers for their host with the server URL on stdin", async () => {
    writeFileSync(helperLog, "");
    const homeDir = home({
      credHelpers: { "127.0.0.1:5000": "fake" },
      auths: { "127.0.0.1:5000": { auth: b64("file:pw") } },
    });
    expect(await lookupCredentials("127.0.0.1:5000", { homeDir, env: env() })).toEqual({
      username: "helper-user",
      password: "helper-secret",
      source: "docker-credential-fake",
    });
    expect(readFileSync(helperLog, "utf8")).toBe("127.0.0.1:5000\n");
  });

  it("uses credsStore for other hosts; <token> means an identity token; not found falls back to auths", async () => {
    writeFileSync(helperLog, "");
    const homeDir = home({ credsStore: "fake", auths: { "other:5000": { auth: b64("file:pw") } } });
    expect(await lookupCredentials("docker.io", { homeDir, env: env() })).toMatchObject({
      identityToken: "hub-refresh",
    });
    expect(await lookupCredentials("other:5000", { homeDir, env: env() })).toMatchObject({
      username: "file",
    });
    expect(await lookupCredentials("third:5000", { homeDir, env: env() })).toBeUndefined();
    expect(readFileSync(helperLog, "utf8")).toBe("https://index.docker.io/v1/\nother:5000\nthird:5000\n");
  });

  it("fails clearly when a helper is missing, hangs, fails or talks nonsense", async () => {
    const attempt = async (helper: string, code = "REGISTRY_CREDENTIALS") => {
      const homeDir = home({ credHelpers: { "h:1": helper } });
      const error = await lookupCredentials("h:1", {
        homeDir,
        env: env(),
        credentialHelperTimeoutMs: 300,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DrydockError);
      expect((error as DrydockError).code).toBe(code);
      return (error as DrydockError).message;
    };
    expect(await attempt("absent")).toBe("credential helper docker-credential-absent is not on PATH");
    const started = Date.now();
    expect(await attempt("slow")).toBe("credential helper docker-credential-slow did not answer within 0.3s");
    expect(Date.now() - started).toBeLessThan(3000);
    const broken = await attempt("broken");
    expect(broken).toBe("credential helper docker-credential-broken failed (exit 3) for h:1");
    expect(await attempt("garbage")).toMatch(/not its JSON/);
    expect(await attempt("../evil", "REGISTRY_CONFIG")).toMatch(/invalid credential helper name/);
  });
});
