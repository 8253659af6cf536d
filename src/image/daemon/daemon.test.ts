import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DrydockError } from "../../errors.ts";
import { openImage } from "../open.ts";
import { defaultProviders } from "../providers.ts";
import { buildArchive, makeConfig, sha256 } from "../test-helpers/archives.ts";
import { makeTar } from "../test-helpers/tar.ts";
import type { Platform } from "../types.ts";
import { DockerEngineClient } from "./client.ts";
import { parseDockerHost } from "./host.ts";
import { daemonProvider, openDaemonImage } from "./provider.ts";

const host: Platform = { os: "linux", architecture: "amd64" };
const dir = mkdtempSync(join(tmpdir(), "drydock-daemon-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface FakeImage {
  archive: Buffer;
  id: string;
  os?: string;
  architecture?: string;
}

/** A fake Engine API: records every request path; behaviour per test through `handlers`. */
class FakeEngine {
  readonly requests: string[] = [];
  readonly images = new Map<string, FakeImage>();
  apiVersion: string | undefined = "1.41";
  /** Export: send this many bytes, then stop sending (the connection stays open). */
  stallAfter?: number;
  exportStatus = 200;
  server!: Server;
  socketPath = join(dir, `engine-${Math.random().toString(36).slice(2)}.sock`);

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(this.socketPath, resolve));
    return this;
  }

  async startTcp(): Promise<number> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "";
    this.requests.push(url);
    if (url === "/_ping") {
      if (this.apiVersion) res.setHeader("Api-Version", this.apiVersion);
      res.end("OK");
      return;
    }
    if (url === "/version") {
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ ApiVersion: "1.30", Version: "17.06" }));
      return;
    }
    const match = /^\/v(\d+\.\d+)\/images\/(.+)\/(json|get)$/.exec(url);
    const image = match ? this.images.get(match[2]!) : undefined;
    if (!match || !image) {
      res.statusCode = 404;
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ message: `No such image: ${match?.[2] ?? url}` }));
      return;
    }
    if (match[3] === "json") {
      res.setHeader("Content-Type", "application/json");
      res.end(
        JSON.stringify({
          Id: image.id,
          RepoTags: [match[2]],
          Os: image.os ?? "linux",
          Architecture: image.architecture ?? "amd64",
        }),
      );
      return;
    }
    if (this.exportStatus !== 200) {
      res.statusCode = this.exportStatus;
      res.end(JSON.stringify({ message: "export failed: disk full" }));
      return;
    }
    res.setHeader("Content-Type", "application/x-tar");
    if (this.stallAfter !== undefined) {
      res.write(image.archive.subarray(0, this.stallAfter));
      return; // never ends
    }
    res.end(image.archive);
  }
}

let engine: FakeEngine;
afterEach(async () => {
  await engine?.stop();
});

async function sampleImage(tag: string, arch = "amd64") {
  const layers = [
    await makeTar([
      { name: "etc/", type: "directory" },
      { name: "etc/os-release", content: "ID=fake\n" },
      { name: "gone", content: "x" },
    ]),
    await makeTar([
      { name: ".wh.gone", content: "" },
      { name: "app/run", content: "run" },
    ]),
  ];
  const config = makeConfig(layers, { architecture: arch });
  return { layers, config, repoTags: [tag] };
}

async function serve(tag: string, shape: "legacy" | "docker25" = "legacy"): Promise<FakeEngine> {
  engine = await new FakeEngine().start();
  const image = await sampleImage(tag);
  engine.images.set(tag, { archive: await buildArchive(shape, [image]), id: sha256(image.config) });
  return engine;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DrydockError);
    expect((error as Error).message).not.toContain("\n");
    return (error as DrydockError).code;
  }
}

describe("DOCKER_HOST", () => {
  it("parses unix and tcp hosts", () => {
    expect(parseDockerHost(undefined)).toMatchObject({ kind: "unix", socketPath: "/var/run/docker.sock" });
    expect(parseDockerHost("unix:///run/user/1000/docker.sock")).toMatchObject({
      socketPath: "/run/user/1000/docker.sock",
    });
    expect(parseDockerHost("tcp://127.0.0.1:2375")).toMatchObject({
      kind: "tcp",
      host: "127.0.0.1",
      port: 2375,
    });
    expect(parseDockerHost("tcp://localhost")).toMatchObject({ kind: "tcp", host: "localhost", port: 2375 });
    expect(parseDockerHost("tcp://[::1]:2380")).toMatchObject({ kind: "tcp", host: "::1", port: 2380 });
  });

  it("refuses hosts it cannot speak to with DAEMON_UNAVAILABLE", () => {
    for (const value of [
      "ssh://me@box",
      "npipe:////./pipe/docker_engine",
      "unix://relative.sock",
      "tcp://h:1/path",
    ]) {
      expect(() => parseDockerHost(value)).toThrow(expect.objectContaining({ code: "DAEMON_UNAVAILABLE" }));
    }
  });
});

describe("Engine API client", () => {
  it("negotiates the API version with /_ping and uses it as the path prefix", async () => {
    await serve("app:1");
    const client = new DockerEngineClient(parseDockerHost(`unix://${engine.socketPath}`));
    expect(await client.apiVersion()).toBe("1.41");
    const image = await client.inspectImage("app:1");
    expect(image.Id).toMatch(/^sha256:/);
    expect(engine.requests).toEqual(["/_ping", "/v1.41/images/app:1/json"]);
  });

  it("caps the version at what it knows and asks /version when the ping has none", async () => {
    await serve("app:1");
    engine.apiVersion = "1.99";
    const newer = new DockerEngineClient(parseDockerHost(`unix://${engine.socketPath}`));
    expect(await newer.apiVersion()).toBe("1.47");
    engine.apiVersion = undefined;
    const older = new DockerEngineClient(parseDockerHost(`unix://${engine.socketPath}`));
    expect(await older.apiVersion()).toBe("1.30");
    expect(engine.requests).toEqual(["/_ping", "/_ping", "/version"]);
  });

  it("a missing image is IMAGE_NOT_FOUND; a missing socket or a refused connection is DAEMON_UNAVAILABLE", async () => {
    await serve("app:1");
    const client = new DockerEngineClient(parseDockerHost(`unix://${engine.socketPath}`));
    expect(await codeOf(client.inspectImage("nope:1"))).toBe("IMAGE_NOT_FOUND");
    const missing = new DockerEngineClient(parseDockerHost(`unix://${join(dir, "no-such.sock")}`));
    expect(await codeOf(missing.inspectImage("app:1"))).toBe("DAEMON_UNAVAILABLE");
    // A port nobody listens on: start and stop a server to get one.
    const probe = new FakeEngine();
    const port = await probe.startTcp();
    await probe.stop();
    const refused = new DockerEngineClient(parseDockerHost(`tcp://127.0.0.1:${port}`));
    expect(await codeOf(refused.inspectImage("app:1"))).toBe("DAEMON_UNAVAILABLE");
  });

  it("refuses names that are not image references before sending anything", async () => {
    await serve("app:1");
    const client = new DockerEngineClient(parseDockerHost(`unix://${engine.socketPath}`));
    for (const name of ["../../containers/json", "app:1?x=1", "app 1", ""]) {
      expect(await codeOf(client.inspectImage(name))).toBe("BAD_REFERENCE");
    }
    expect(engine.requests.filter((r) => r.includes("images"))).toEqual([]);
  });

  it("reports the daemon's message for a failed export", async () => {
    await serve("app:1");
    engine.exportStatus = 500;
    const handle = await openDaemonImage(
      "app:1",
      { hostPlatform: host },
      { host: `unix://${engine.socketPath}` },
    );
    const error = await handle.resolve().catch((e: unknown) => e as DrydockError);
    expect((error as DrydockError).code).toBe("DAEMON_ERROR");
    expect((error as DrydockError).message).toContain("disk full");
  });
});

describe("daemon provider", () => {
  for (const shape of ["legacy", "docker25"] as const) {
    it(`streams a ${shape} export into the reader`, async () => {
      await serve("example/app:1", shape);
      const handle = await openDaemonImage(
        "example/app:1",
        { hostPlatform: host },
        { host: `unix://${engine.socketPath}` },
      );
      const resolved = await handle.resolve();
      expect(resolved.source).toBe("docker-daemon:example/app:1");
      expect(resolved.reference).toBe("example/app:1");
      expect(resolved.configDigest).toBe(engine.images.get("example/app:1")!.id);
      const layers = await handle.readLayers();
      expect(layers.map((l) => l.index.paths)).toEqual([["/etc", "/etc/os-release", "/gone"], ["/app/run"]]);
      expect(layers[1]!.index.whiteouts).toEqual(["/gone"]);
      // One inspect, one export: resolve() and readLayers() share the pass.
      expect(engine.requests.filter((r) => r.endsWith("/get"))).toHaveLength(1);
      const capture = [{ matches: (p: string) => p === "/etc/os-release", maxBytes: 100 }];
      const captured = await handle.readLayers({ capture });
      expect(captured[0]!.index.captured.get("/etc/os-release")?.toString()).toBe("ID=fake\n");
      expect(engine.requests.filter((r) => r.endsWith("/get"))).toHaveLength(2);
      await handle.close?.();
    });
  }

  it("fails a stalled export with DAEMON_TIMEOUT instead of hanging", async () => {
    await serve("app:1");
    engine.stallAfter = 2048;
    const handle = await openDaemonImage(
      "app:1",
      { hostPlatform: host },
      { host: `unix://${engine.socketPath}`, stallTimeoutMs: 300 },
    );
    const started = Date.now();
    expect(await codeOf(handle.resolve())).toBe("DAEMON_TIMEOUT");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("notices an image that changed between inspect and export", async () => {
    await serve("app:1");
    engine.images.get("app:1")!.id = sha256(Buffer.from("another image"));
    const handle = await openDaemonImage(
      "app:1",
      { hostPlatform: host },
      { host: `unix://${engine.socketPath}` },
    );
    expect(await codeOf(handle.resolve())).toBe("IMAGE_CHANGED");
  });

  it("an image for another platform than the one asked for is IMAGE_NOT_FOUND (so openImage tries the registry)", async () => {
    await serve("app:1");
    const open = openDaemonImage(
      "app:1",
      { hostPlatform: host, platform: { os: "linux", architecture: "arm64" } },
      { host: `unix://${engine.socketPath}` },
    );
    expect(await codeOf(open)).toBe("IMAGE_NOT_FOUND");
  });

  it("openImage reads docker-daemon: through the default providers", async () => {
    await serve("example/app:1");
    const providers = defaultProviders({ daemon: { host: `unix://${engine.socketPath}` } });
    const handle = await openImage("docker-daemon:example/app:1", { providers });
    expect((await handle.resolve()).layers).toHaveLength(2);
    // A bare reference goes to the daemon first.
    const bare = await openImage("example/app:1", {
      providers: { ...providers, daemon: daemonProvider({ host: `unix://${engine.socketPath}` }) },
    });
    expect((await bare.resolve()).configDigest).toBe(engine.images.get("example/app:1")!.id);
  });

  it("a bare reference falls back to the registry when the daemon is absent or lacks the image", async () => {
    await serve("example/app:1");
    const tried: string[] = [];
    const registry = async () => {
      tried.push("registry");
      throw new DrydockError("REGISTRY_SENTINEL", "registry was asked");
    };
    for (const daemonHost of [`unix://${join(dir, "absent.sock")}`, `unix://${engine.socketPath}`]) {
      const providers = { ...defaultProviders(), daemon: daemonProvider({ host: daemonHost }), registry };
      expect(await codeOf(openImage("example/other:1", { providers }))).toBe("REGISTRY_SENTINEL");
    }
    expect(tried).toEqual(["registry", "registry"]);
  });
});
