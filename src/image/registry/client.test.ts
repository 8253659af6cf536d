import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DrydockError } from "../../errors.ts";
import { MEDIA_TYPES } from "../types.ts";
import { isLoopback, MANIFEST_ACCEPT, RegistryClient, type RegistryOptions } from "./client.ts";
import { FakeRegistry, json, SERVICE, sha256, startServer } from "./test-helpers/fake-registry.ts";

const FAST: RegistryOptions = { timeoutMs: 2000, retries: 2, retryBaseMs: 5, maxRetryDelayMs: 2000 };
const REPO = "test/app";
const PLATFORM = { os: "linux", architecture: "amd64" };
const TLS = {
  key: readFileSync(new URL("./__fixtures__/test-tls-key.pem", import.meta.url), "utf8"),
  cert: readFileSync(new URL("./__fixtures__/test-tls-cert.pem", import.meta.url), "utf8"),
};
const CA_FILE = new URL("./__fixtures__/test-tls-cert.pem", import.meta.url).pathname;

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "drydock-registry-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startRegistry(options: Parameters<typeof FakeRegistry.start>[0] = {}): Promise<FakeRegistry> {
  const registry = await FakeRegistry.start(options);
  cleanup.push(() => registry.close());
  return registry;
}

function client(registry: FakeRegistry | string, options: RegistryOptions = {}): RegistryClient {
  const c = new RegistryClient(typeof registry === "string" ? registry : registry.host, {
    ...FAST,
    ...options,
  });
  cleanup.push(() => c.close());
  return c;
}

function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", reject);
    stream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

async function failure(promise: Promise<unknown>): Promise<DrydockError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DrydockError);
  expect((error as DrydockError).message).not.toMatch(/\n/);
  return error as DrydockError;
}

describe("anonymous registry", () => {
  it("pings over plain HTTP on loopback and reads manifests and blobs", async () => {
    const registry = await startRegistry();
    const image = await registry.putImage(REPO, "1", PLATFORM);
    const accepts: string[] = [];
    registry.intercept = (req) => {
      if (req.url?.includes("/manifests/")) accepts.push(String(req.headers.accept));
      return false;
    };
    const c = client(registry);
    expect(await c.ping()).toEqual({ url: `http://${registry.host}`, auth: "none" });
    const byTag = await c.getManifest(REPO, "1");
    expect(byTag.digest).toBe(image.manifest.digest);
    expect(byTag.mediaType).toBe(MEDIA_TYPES.ociManifest);
    expect(sha256(byTag.bytes)).toBe(image.manifest.digest);
    expect((await c.getManifest(REPO, image.manifest.digest)).digest).toBe(image.manifest.digest);
    expect(accepts[0]).toBe(MANIFEST_ACCEPT);
    for (const type of [
      MEDIA_TYPES.ociIndex,
      MEDIA_TYPES.ociManifest,
      MEDIA_TYPES.dockerManifestList,
      MEDIA_TYPES.dockerManifest,
    ]) {
      expect(accepts[0]).toContain(type);
    }
    expect(sha256(await c.getBlob(REPO, image.config))).toBe(image.config.digest);
    expect(sha256(await readAll(await c.openBlob(REPO, image.layer)))).toBe(image.layer.digest);
    expect(registry.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it("reports a missing manifest or blob as REGISTRY_NOT_FOUND with the registry's code", async () => {
    const registry = await startRegistry();
    const c = client(registry);
    const missing = await failure(c.getManifest(REPO, "nope"));
    expect(missing.code).toBe("REGISTRY_NOT_FOUND");
    expect(missing.message).toBe(
      `${registry.host}/${REPO}:nope: manifest: not found (MANIFEST_UNKNOWN: manifest unknown)`,
    );
    const blob = await failure(c.openBlob(REPO, { mediaType: "x", digest: sha256("absent"), size: 6 }));
    expect(blob.code).toBe("REGISTRY_NOT_FOUND");
  });

  it("tells a server that is not a registry, or wants an unknown auth scheme", async () => {
    const registry = await startRegistry();
    let answer = 404;
    registry.intercept = (req, res) => {
      if (req.url !== "/v2/") return false;
      if (answer === 401) res.setHeader("www-authenticate", 'Negotiate realm="corp"');
      json(res, answer, {});
      return true;
    };
    const notRegistry = await failure(client(registry).ping());
    expect(notRegistry.code).toBe("REGISTRY_BAD_RESPONSE");
    expect(notRegistry.message).toMatch(/not a registry/);
    answer = 401;
    const negotiate = await failure(client(registry).getManifest(REPO, "1"));
    expect(negotiate.code).toBe("REGISTRY_UNAUTHORIZED");
    expect(negotiate.message).toBe(
      `${registry.host}: asks for an unsupported authentication scheme (Negotiate realm="corp")`,
    );
  });

  it("speaks HTTPS only to other hosts, unless they are listed as insecure", async () => {
    const registry = await startRegistry();
    await registry.putImage(REPO, "1", PLATFORM);
    // The same server, named by an address that is not a loopback name.
    const host = `[::ffff:127.0.0.1]:${registry.host.split(":")[1]}`;
    const refused = await failure(client(host, { retries: 0 }).ping());
    expect(refused.code).toBe("REGISTRY_HANDSHAKE");
    expect(refused.hint).toMatch(/--insecure-registry/);
    const listed = client(host, { insecureRegistries: [host] });
    expect((await listed.ping()).url).toBe(`http://${host}`);
    expect((await listed.getManifest(REPO, "1")).mediaType).toBe(MEDIA_TYPES.ociManifest);
  });

  it("says plain HTTP is for loopback only", () => {
    expect(isLoopback("127.0.0.1:5000")).toBe(true);
    expect(isLoopback("localhost")).toBe(true);
    expect(isLoopback("[::1]:5000")).toBe(true);
    expect(isLoopback("registry.example.com:5000")).toBe(false);
    expect(isLoopback("10.0.0.1")).toBe(false);
  });
});

describe("Basic auth", () => {
  const auth = { kind: "basic" as const, username: "alice", password: "s3cret-basic" };

  it("sends explicit credentials", async () => {
    const registry = await startRegistry({ auth });
    const image = await registry.putImage(REPO, "1", PLATFORM);
    const c = client(registry, { username: "alice", password: "s3cret-basic" });
    expect((await c.ping()).auth).toBe("basic");
    expect((await c.getManifest(REPO, "1")).digest).toBe(image.manifest.digest);
    const last = registry.requests.at(-1)!;
    expect(last.authorization).toBe(`Basic ${Buffer.from("alice:s3cret-basic").toString("base64")}`);
  });

  it("refuses without credentials and with wrong ones, naming neither password nor header", async () => {
    const registry = await startRegistry({ auth });
    await registry.putImage(REPO, "1", PLATFORM);
    const anonymous = await failure(client(registry).getManifest(REPO, "1"));
    expect(anonymous.code).toBe("REGISTRY_UNAUTHORIZED");
    expect(anonymous.message).toMatch(/authentication required/);
    // No credentials to send: the refusal is final at once, with no pointless second try.
    expect(registry.requests.filter((r) => r.path.includes("/manifests/"))).toHaveLength(1);
    const wrong = await failure(
      client(registry, { username: "alice", password: "wrong-password" }).getManifest(REPO, "1"),
    );
    expect(wrong.code).toBe("REGISTRY_UNAUTHORIZED");
    expect(wrong.message).toMatch(/access denied with the credentials from --username/);
    expect(wrong.message).not.toContain("wrong-password");
    expect(wrong.message).not.toContain(Buffer.from("alice:wrong-password").toString("base64"));
  });

  it("reads credentials from config.json auths and from a credential helper", async () => {
    const registry = await startRegistry({ auth });
    const image = await registry.putImage(REPO, "1", PLATFORM);
    const home = mkdtempSync(join(dir, "home-"));
    mkdirSync(join(home, ".docker"));
    const b64 = Buffer.from("alice:s3cret-basic").toString("base64");
    writeFileSync(
      join(home, ".docker", "config.json"),
      JSON.stringify({ auths: { [registry.host]: { auth: b64 } } }),
    );
    expect((await client(registry, { homeDir: home }).getManifest(REPO, "1")).digest).toBe(
      image.manifest.digest,
    );

    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, "docker-credential-fake"),
      `#!/bin/sh\nserver=$(cat)\n[ "$server" = "${registry.host}" ] || { echo "credentials not found"; exit 1; }\nprintf '{"ServerURL":"%s","Username":"alice","Secret":"s3cret-basic"}' "$server"\n`,
    );
    chmodSync(join(bin, "docker-credential-fake"), 0o755);
    const helperConfig = join(dir, "helper-config");
    mkdirSync(helperConfig, { recursive: true });
    writeFileSync(
      join(helperConfig, "config.json"),
      JSON.stringify({ credHelpers: { [registry.host]: "fake" } }),
    );
    const env = { DOCKER_CONFIG: helperConfig, PATH: `${bin}:/usr/bin:/bin` };
    expect((await client(registry, { env }).getManifest(REPO, "1")).digest).toBe(image.manifest.digest);
  });
});

describe("Bearer token auth", () => {
  it("asks the realm for the repository's pull scope and caches the token per scope", async () => {
    const registry = await startRegistry({ auth: { kind: "bearer" } });
    const image = await registry.putImage(REPO, "1", PLATFORM);
    await registry.putImage("other/repo", "1", PLATFORM);
    const c = client(registry);
    expect((await c.ping()).auth).toBe("bearer");
    await c.getManifest(REPO, "1");
    await c.getBlob(REPO, image.config);
    await readAll(await c.openBlob(REPO, image.layer));
    expect(registry.tokenRequests).toHaveLength(1);
    const asked = registry.tokenRequests[0]!;
    expect(asked.query.get("service")).toBe(SERVICE);
    expect(asked.query.getAll("scope")).toEqual([`repository:${REPO}:pull`]);
    expect(asked.authorization).toBeUndefined();
    expect(registry.requests.at(-1)!.authorization).toMatch(/^Bearer [0-9a-f]{32}$/);
    await c.getManifest("other/repo", "1");
    expect(registry.tokenRequests.map((r) => r.query.get("scope"))).toEqual([
      `repository:${REPO}:pull`,
      "repository:other/repo:pull",
    ]);
  });

  it("sends Basic credentials to the token server, never to the registry", async () => {
    const registry = await startRegistry({
      auth: { kind: "bearer", username: "bob", password: "token-pass" },
    });
    const image = await registry.putImage(REPO, "1", PLATFORM);
    const c = client(registry, { username: "bob", password: "token-pass" });
    expect((await c.getManifest(REPO, "1")).digest).toBe(image.manifest.digest);
    expect(registry.tokenRequests[0]!.authorization).toBe(
      `Basic ${Buffer.from("bob:token-pass").toString("base64")}`,
    );
    expect(registry.requests.every((r) => !r.authorization?.startsWith("Basic"))).toBe(true);
  });

  it("renews the token once on a 401, then succeeds", async () => {
    const registry = await startRegistry({ auth: { kind: "bearer" } });
    await registry.putImage(REPO, "1", PLATFORM);
    const c = client(registry);
    await c.getManifest(REPO, "1");
    registry.revokeTokens();
    await c.getManifest(REPO, "1");
    expect(registry.tokenRequests).toHaveLength(2);
  });

  it("gives up after one renewal when the registry keeps refusing", async () => {
    const registry = await startRegistry({ auth: { kind: "bearer" } });
    await registry.putImage(REPO, "1", PLATFORM);
    registry.intercept = (req, res) => {
      if (!req.url?.includes("/manifests/")) return false;
      res.setHeader(
        "www-authenticate",
        `Bearer realm="${registry.url}/token",service="${SERVICE}",error="insufficient_scope"`,
      );
      json(res, 401, { errors: [{ code: "DENIED", message: "requested access to the resource is denied" }] });
      return true;
    };
    const error = await failure(client(registry).getManifest(REPO, "1"));
    expect(error.code).toBe("REGISTRY_UNAUTHORIZED");
    expect(error.message).toMatch(/DENIED: requested access to the resource is denied/);
    expect(registry.tokenRequests).toHaveLength(2);
    expect(registry.requests.filter((r) => r.path.includes("/manifests/"))).toHaveLength(2);
  });

  it("asks for a new token when the cached one expires", async () => {
    const registry = await startRegistry({ auth: { kind: "bearer", expiresIn: 1 } });
    await registry.putImage(REPO, "1", PLATFORM);
    const c = client(registry);
    await c.getManifest(REPO, "1");
    await c.getManifest(REPO, "1");
    expect(registry.tokenRequests).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await c.getManifest(REPO, "1");
    expect(registry.tokenRequests).toHaveLength(2);
  });

  it("reports credentials the token server rejects, without them", async () => {
    const registry = await startRegistry({ auth: { kind: "bearer", username: "bob", password: "right" } });
    await registry.putImage(REPO, "1", PLATFORM);
    const error = await failure(
      client(registry, { username: "bob", password: "not-right-pw" }).getManifest(REPO, "1"),
    );
    expect(error.code).toBe("REGISTRY_UNAUTHORIZED");
    expect(error.message).toBe(
      `${registry.host}: the token server ${registry.host} rejected the credentials from --username`,
    );
    const anonymous = await failure(client(registry).getManifest(REPO, "1"));
    expect(anonymous.message).toMatch(/wants credentials for repository:test\/app:pull/);
  });
});

describe("retries and timeouts", () => {
  it("waits out a 429's Retry-After, then succeeds", async () => {
    const registry = await startRegistry();
    const image = await registry.putImage(REPO, "1", PLATFORM);
    let throttled = 0;
    registry.intercept = (req, res) => {
      if (!req.url?.includes("/manifests/") || throttled++ > 0) return false;
      res.setHeader("retry-after", "1");
      json(res, 429, { errors: [{ code: "TOOMANYREQUESTS", message: "slow down" }] });
      return true;
    };
    const started = Date.now();
    expect((await client(registry).getManifest(REPO, "1")).digest).toBe(image.manifest.digest);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(registry.requests.filter((r) => r.path.includes("/manifests/"))).toHaveLength(2);
  });

  it("ends a 500 storm with a clear error after the bounded retries", async () => {
    const registry = await startRegistry();
    registry.intercept = (req, res) => {
      if (!req.url?.includes("/manifests/")) return false;
      json(res, 500, { errors: [{ code: "UNKNOWN", message: "storage driver exploded" }] });
      return true;
    };
    const error = await failure(client(registry).getManifest(REPO, "1"));
    expect(error.code).toBe("REGISTRY_UNAVAILABLE");
    expect(error.message).toBe(
      `${registry.host}/${REPO}:1: manifest: HTTP 500 after 3 tries (UNKNOWN: storage driver exploded)`,
    );
    expect(registry.requests.filter((r) => r.path.includes("/manifests/"))).toHaveLength(3);
  });

  it("retries dropped connections and reports a refused one", async () => {
    const registry = await startRegistry();
    const image = await registry.putImage(REPO, "1", PLATFORM);
    let drops = 0;
    registry.intercept = (req) => {
      if (!req.url?.includes("/manifests/") || drops++ >= 2) return false;
      req.socket.destroy();
      return true;
    };
    expect((await client(registry).getManifest(REPO, "1")).digest).toBe(image.manifest.digest);

    const gone = await startRegistry();
    const host = gone.host;
    await gone.close();
    const refused = await failure(client(host, { retries: 1 }).getManifest(REPO, "1"));
    expect(refused.code).toBe("REGISTRY_UNAVAILABLE");
    expect(refused.message).toMatch(/connection refused/);
  });

  it("times out a server that never answers", async () => {
    const registry = await startRegistry();
    registry.intercept = (req) => Boolean(req.url?.includes("/manifests/")); // handled = never answered
    const started = Date.now();
    const error = await failure(client(registry, { timeoutMs: 300, retries: 1 }).getManifest(REPO, "1"));
    expect(error.code).toBe("REGISTRY_TIMEOUT");
    expect(error.message).toBe(`${registry.host}/${REPO}:1: manifest: the server did not answer for 0.3s`);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("aborts a manifest whose body stalls halfway", async () => {
    const registry = await startRegistry();
    registry.intercept = (req, res) => {
      if (!req.url?.includes("/manifests/")) return false;
      res.writeHead(200, { "content-type": MEDIA_TYPES.ociManifest, "content-length": 1000 });
      res.write('{"schemaVersion":2,');
      return true;
    };
    const error = await failure(client(registry, { timeoutMs: 300, retries: 0 }).getManifest(REPO, "1"));
    expect(error.code).toBe("REGISTRY_TIMEOUT");
    expect(error.message).toMatch(/stalled while sending data for 0.3s/);
  });

  it("fails a blob stream that stalls halfway instead of hanging", async () => {
    const registry = await startRegistry();
    const image = await registry.putImage(REPO, "1", PLATFORM);
    registry.intercept = (req, res) => {
      if (!req.url?.includes("/blobs/")) return false;
      res.writeHead(200, { "content-length": image.layer.size });
      res.write(registry.blobs.get(image.layer.digest)!.subarray(0, 10));
      return true;
    };
    const stream = await client(registry, { timeoutMs: 300 }).openBlob(REPO, image.layer);
    const error = await failure(readAll(stream));
    expect(error.code).toBe("REGISTRY_TIMEOUT");
    expect(error.message).toMatch(/blob sha256:.*stalled while sending data/);
  });
});

describe("integrity and limits", () => {
  it("rejects a Docker-Content-Digest that does not match the manifest", async () => {
    const registry = await startRegistry();
    const image = await registry.putImage(REPO, "1", PLATFORM);
    const bytes = registry.manifests.get(`${REPO}@${image.manifest.digest}`)!.bytes;
    registry.intercept = (req, res) => {
      if (!req.url?.includes("/manifests/")) return false;
      res.writeHead(200, {
        "content-type": MEDIA_TYPES.ociManifest,
        "docker-content-digest": sha256("other"),
      });
      res.end(bytes);
      return true;
    };
    const error = await failure(client(registry).getManifest(REPO, "1"));
    expect(error.code).toBe("DIGEST_MISMATCH");
    expect(error.message).toMatch(/do not match the registry's Docker-Content-Digest sha256:/);
    const byDigest = await failure(client(registry).getManifest(REPO, image.manifest.digest));
    expect(byDigest.code).toBe("DIGEST_MISMATCH");
  });

  it("rejects a manifest fetched by digest whose bytes hash to something else", async () => {
    const registry = await startRegistry();
    const image = await registry.putImage(REPO, "1", PLATFORM);
    registry.intercept = (req, res) => {
      if (!req.url?.includes("/manifests/")) return false;
      res.writeHead(200, { "content-type": MEDIA_TYPES.ociManifest });
      res.end(JSON.stringify({ schemaVersion: 2, tampered: true }));
      return true;
    };
    const error = await failure(client(registry).getManifest(REPO, image.manifest.digest));
    expect(error.code).toBe("DIGEST_MISMATCH");
    expect(error.message).toMatch(/manifest: content does not match its digest/);
  });

  it("fails a blob whose bytes do not match its digest, or that runs past its size", async () => {
    const registry = await startRegistry();
    const image = await registry.putImage(REPO, "1", PLATFORM);
    const original = registry.blobs.get(image.layer.digest)!;
    const tampered = Buffer.from(original);
    tampered[tampered.length - 20]! ^= 0xff;
    registry.blobs.set(image.layer.digest, tampered);
    const stream = await client(registry).openBlob(REPO, image.layer);
    const mismatch = await failure(readAll(stream));
    expect(mismatch.code).toBe("DIGEST_MISMATCH");
    expect(mismatch.message).toMatch(/blob sha256:.*content does not match its digest/);

    registry.blobs.set(image.layer.digest, Buffer.concat([original, Buffer.alloc(100)]));
    const declared = await failure(client(registry).openBlob(REPO, image.layer));
    expect(declared.message).toMatch(/sends \d+ bytes, the descriptor says \d+/);

    registry.intercept = (req, res) => {
      if (!req.url?.includes("/blobs/")) return false;
      res.writeHead(200); // chunked: no Content-Length to check up front
      res.end(Buffer.concat([original, Buffer.alloc(100)]));
      return true;
    };
    const overrun = await failure(readAll(await client(registry).openBlob(REPO, image.layer)));
    expect(overrun.message).toMatch(/more than the \d+ bytes its descriptor declares/);
    const config = await failure(client(registry).getBlob(REPO, image.config));
    expect(config.code).toBe("REGISTRY_BAD_RESPONSE");
  });

  it("rejects huge manifests, with or without a Content-Length", async () => {
    const registry = await startRegistry();
    const huge = Buffer.alloc(5 << 20, 0x20);
    let chunked = false;
    registry.intercept = (req, res) => {
      if (!req.url?.includes("/manifests/")) return false;
      res.writeHead(200, {
        "content-type": MEDIA_TYPES.ociManifest,
        ...(chunked ? {} : { "content-length": huge.length }),
      });
      res.end(huge);
      return true;
    };
    const declared = await failure(client(registry).getManifest(REPO, "1"));
    expect(declared.code).toBe("REGISTRY_BAD_RESPONSE");
    expect(declared.message).toBe(`${registry.host}/${REPO}:1: manifest: larger than the 4 MiB limit`);
    chunked = true;
    const streamed = await failure(client(registry).getManifest(REPO, "1"));
    expect(streamed.message).toMatch(/larger than the 4 MiB limit/);
    const small = await failure(client(registry, { maxManifestBytes: 1024 }).getManifest(REPO, "1"));
    expect(small.message).toMatch(/larger than the 1 KiB limit/);
  });

  it("refuses schema 1 manifests and unknown types", async () => {
    const registry = await startRegistry();
    let body: { type: string; doc: unknown } = {
      type: "application/vnd.docker.distribution.manifest.v1+prettyjws",
      doc: { schemaVersion: 1 },
    };
    registry.intercept = (req, res) => {
      if (!req.url?.includes("/manifests/")) return false;
      res.writeHead(200, { "content-type": body.type });
      res.end(JSON.stringify(body.doc));
      return true;
    };
    expect((await failure(client(registry).getManifest(REPO, "1"))).message).toMatch(
      /schema 1 manifests are not supported/,
    );
    body = { type: "application/json", doc: { schemaVersion: 2, mediaType: "application/vnd.example+json" } };
    expect((await failure(client(registry).getManifest(REPO, "1"))).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    body = { type: "application/json", doc: { schemaVersion: 2, manifests: [] } };
    expect((await client(registry).getManifest(REPO, "1")).mediaType).toBe(MEDIA_TYPES.ociIndex);
  });
});

describe("redirects", () => {
  it("follows a blob redirect to another host without the Authorization header", async () => {
    const auth = { kind: "basic" as const, username: "alice", password: "s3cret-basic" };
    const registry = await startRegistry({ auth });
    const image = await registry.putImage(REPO, "1", PLATFORM);
    const seen: Array<string | undefined> = [];
    const storage = await startServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { "content-length": image.layer.size });
      res.end(registry.blobs.get(image.layer.digest));
    });
    cleanup.push(storage.close);
    registry.intercept = (req, res) => {
      if (!req.url?.includes("/blobs/") || req.headers.authorization === undefined) return false;
      res.writeHead(307, { location: `http://${storage.host}/cdn/blob?sig=abc` });
      res.end();
      return true;
    };
    const c = client(registry, { username: "alice", password: "s3cret-basic" });
    const bytes = await readAll(await c.openBlob(REPO, image.layer));
    expect(sha256(bytes)).toBe(image.layer.digest);
    expect(seen).toEqual([undefined]);
    expect(registry.requests.at(-1)!.authorization).toMatch(/^Basic /);
  });

  it("keeps the Authorization header on a same-origin redirect", async () => {
    const auth = { kind: "basic" as const, username: "alice", password: "s3cret-basic" };
    const registry = await startRegistry({ auth });
    const image = await registry.putImage(REPO, "1", PLATFORM);
    registry.intercept = (req, res) => {
      if (req.url?.startsWith("/storage/")) {
        expect(req.headers.authorization).toMatch(/^Basic /);
        res.end(registry.blobs.get(image.layer.digest));
        return true;
      }
      if (!req.url?.includes("/blobs/")) return false;
      res.writeHead(302, { location: "/storage/layer" });
      res.end();
      return true;
    };
    const c = client(registry, { username: "alice", password: "s3cret-basic" });
    expect(sha256(await readAll(await c.openBlob(REPO, image.layer)))).toBe(image.layer.digest);
  });
});

describe("TLS", () => {
  it("needs the CA of a self-signed registry (--ca-cert) or its listing as insecure", async () => {
    const registry = await startRegistry({ tls: TLS });
    const image = await registry.putImage(REPO, "1", PLATFORM);
    const untrusted = await failure(client(registry).getManifest(REPO, "1"));
    expect(untrusted.code).toBe("REGISTRY_TLS");
    expect(untrusted.hint).toMatch(/--ca-cert/);
    const trusted = client(registry, { caCert: CA_FILE });
    expect(await trusted.ping()).toEqual({ url: `https://${registry.host}`, auth: "none" });
    expect((await trusted.getManifest(REPO, "1")).digest).toBe(image.manifest.digest);
    const insecure = client(registry, { insecureRegistries: [registry.host] });
    expect((await insecure.getManifest(REPO, "1")).digest).toBe(image.manifest.digest);
    const missing = await failure(client(registry, { caCert: join(dir, "absent.pem") }).ping());
    expect(missing.message).toMatch(/--ca-cert .*absent.pem: cannot read/);
  });
});

describe("secrets in errors", () => {
  it("scrubs passwords, Basic headers and tokens a server echoes back", async () => {
    const basic = await startRegistry({
      auth: { kind: "basic", username: "alice", password: "s3cret-basic" },
    });
    basic.intercept = (req, res) => {
      if (!req.url?.includes("/manifests/")) return false;
      json(res, 403, {
        errors: [{ code: "DENIED", message: `no access for ${req.headers.authorization} (s3cret-basic)` }],
      });
      return true;
    };
    const denied = await failure(
      client(basic, { username: "alice", password: "s3cret-basic" }).getManifest(REPO, "1"),
    );
    expect(denied.code).toBe("REGISTRY_UNAUTHORIZED");
    expect(denied.message).toContain("no access for Basic *** (***)");

    const bearer = await startRegistry({ auth: { kind: "bearer" } });
    bearer.intercept = (req, res) => {
      if (!req.url?.includes("/manifests/") || !req.headers.authorization) return false;
      json(res, 404, {
        errors: [{ code: "MANIFEST_UNKNOWN", message: `unknown to ${req.headers.authorization}` }],
      });
      return true;
    };
    const notFound = await failure(client(bearer).getManifest(REPO, "1"));
    expect(notFound.message).toMatch(/unknown to Bearer \*\*\*\)$/);
  });
});
