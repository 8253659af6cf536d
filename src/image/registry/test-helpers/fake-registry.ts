/**
 * A small Distribution API v2 server on 127.0.0.1 for unit tests (node:http, or node:https with
 * a test certificate): manifests and blobs in memory, optional Basic or Bearer auth with its own
 * token endpoint, a request log, and an `intercept` hook that lets a test misbehave on purpose.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { makeTar } from "../../test-helpers/tar.ts";
import { type Descriptor, MEDIA_TYPES, type Platform } from "../../types.ts";

export type FakeAuth =
  | { kind: "basic"; username: string; password: string }
  | { kind: "bearer"; username?: string; password?: string; expiresIn?: number };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization?: string;
}

export type Interceptor = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export const SERVICE = "fake-registry";

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** A plain HTTP server on 127.0.0.1 that records requests (redirect targets, token servers). */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  tls?: { key: string; cert: string },
): Promise<{ server: Server; host: string; close: () => Promise<void> }> {
  const server = tls ? createTlsServer(tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, host, close };
}

export class FakeRegistry {
  readonly requests: RecordedRequest[] = [];
  readonly tokenRequests: RecordedRequest[] = [];
  readonly manifests = new Map<string, { bytes: Buffer; mediaType: string }>();
  readonly tags = new Map<string, string>();
  readonly blobs = new Map<string, Buffer>();
  intercept?: Interceptor;
  private readonly tokens = new Map<string, { scopes: string[]; expiresAt: number }>();
  host = "";
  private closeServer: () => Promise<void> = async () => {};

  readonly auth: FakeAuth | undefined;
  readonly scheme: "http" | "https";

  private constructor(auth: FakeAuth | undefined, scheme: "http" | "https") {
    this.auth = auth;
    this.scheme = scheme;
  }

  static async start(
    options: { auth?: FakeAuth; tls?: { key: string; cert: string } } = {},
  ): Promise<FakeRegistry> {
    const registry = new FakeRegistry(options.auth, options.tls ? "https" : "http");
    const { host, close } = await startServer((req, res) => {
      registry.handle(req, res).catch((error) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    }, options.tls);
    registry.host = host;
    registry.closeServer = close;
    return registry;
  }

  get url(): string {
    return `${this.scheme}://${this.host}`;
  }

  close(): Promise<void> {
    return this.closeServer();
  }

  /** Invalidates every token handed out (the client must renew on the next 401). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  putBlob(data: Buffer, mediaType: string): Descriptor {
    const digest = sha256(data);
    this.blobs.set(digest, data);
    return { mediaType, digest, size: data.length };
  }

  putManifest(repository: string, tag: string | undefined, document: object, mediaType: string): Descriptor {
    const bytes = Buffer.from(JSON.stringify(document));
    const digest = sha256(bytes);
    this.manifests.set(`${repository}@${digest}`, { bytes, mediaType });
    if (tag) this.tags.set(`${repository}:${tag}`, digest);
    return { mediaType, digest, size: bytes.length };
  }

  /** A one-layer image (gzip layer with one file naming the platform). */
  async putImage(repository: string, tag: string | undefined, platform: Platform): Promise<ImageParts> {
    const tar = await makeTar([
      { name: "etc/platform", content: `${platform.architecture}${platform.variant ?? ""}\n` },
    ]);
    const layer = this.putBlob(gzipSync(tar), MEDIA_TYPES.ociLayerGzip);
    const config = {
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      config: { Cmd: ["/bin/sh"] },
      rootfs: { type: "layers", diff_ids: [sha256(tar)] },
      history: [{ created_by: "ADD platform" }],
    };
    const configDescriptor = this.putBlob(Buffer.from(JSON.stringify(config)), MEDIA_TYPES.ociConfig);
    const manifest = this.putManifest(
      repository,
      tag,
      { schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config: configDescriptor, layers: [layer] },
      MEDIA_TYPES.ociManifest,
    );
    return { manifest, config: configDescriptor, layer };
  }

  /** An index over one image per platform. */
  async putIndex(
    repository: string,
    tag: string | undefined,
    platforms: Platform[],
  ): Promise<{ index: Descriptor; images: ImageParts[] }> {
    const images: ImageParts[] = [];
    for (const platform of platforms) images.push(await this.putImage(repository, undefined, platform));
    const index = this.putManifest(
      repository,
      tag,
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: images.map((image, i) => ({ ...image.manifest, platform: platforms[i] })),
      },
      MEDIA_TYPES.ociIndex,
    );
    return { index, images };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${this.host}`);
    const record = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
    };
    if (url.pathname === "/token") {
      this.tokenRequests.push(record);
      this.serveToken(req, res, url);
      return;
    }
    this.requests.push(record);
    if (this.intercept && (await this.intercept(req, res, url))) return;
    const route = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    const repository = route?.[1];
    if (!this.authorized(req, repository)) {
      this.challenge(res, repository);
      return;
    }
    if (url.pathname === "/v2/") {
      json(res, 200, {});
      return;
    }
    if (!route) {
      json(res, 404, { errors: [{ code: "NOT_FOUND", message: "no such route" }] });
      return;
    }
    const [, , kind, reference] = route;
    if (kind === "manifests") {
      const digest = reference!.includes(":") ? reference! : this.tags.get(`${repository}:${reference}`);
      const manifest = digest ? this.manifests.get(`${repository}@${digest}`) : undefined;
      if (!manifest) {
        json(res, 404, { errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] });
        return;
      }
      res.writeHead(200, {
        "content-type": manifest.mediaType,
        "docker-content-digest": digest!,
        "content-length": manifest.bytes.length,
      });
      res.end(req.method === "HEAD" ? undefined : manifest.bytes);
      return;
    }
    const blob = this.blobs.get(reference!);
    if (!blob) {
      json(res, 404, { errors: [{ code: "BLOB_UNKNOWN", message: "blob unknown to registry" }] });
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": blob.length });
    res.end(blob);
  }

  private authorized(req: IncomingMessage, repository: string | undefined): boolean {
    const header = req.headers.authorization ?? "";
    if (!this.auth) return true;
    if (this.auth.kind === "basic") {
      return (
        header === `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString("base64")}`
      );
    }
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    const grant = token ? this.tokens.get(token) : undefined;
    if (!grant || grant.expiresAt < Date.now()) return false;
    return repository === undefined || grant.scopes.includes(`repository:${repository}:pull`);
  }

  private challenge(res: ServerResponse, repository: string | undefined): void {
    const scope = repository ? `,scope="repository:${repository}:pull"` : "";
    const header =
      this.auth?.kind === "basic"
        ? `Basic realm="fake registry"`
        : `Bearer realm="${this.url}/token",service="${SERVICE}"${scope}`;
    res.setHeader("www-authenticate", header);
    json(res, 401, { errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] });
  }

  private serveToken(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const auth = this.auth;
    if (auth?.kind !== "bearer") {
      json(res, 404, {});
      return;
    }
    if (auth.username !== undefined) {
      const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
      if (req.headers.authorization !== expected) {
        json(res, 401, { details: "incorrect username or password" });
        return;
      }
    }
    const token = randomBytes(16).toString("hex");
    const expiresIn = auth.expiresIn ?? 300;
    this.tokens.set(token, {
      scopes: url.searchParams.getAll("scope"),
      expiresAt: Date.now() + expiresIn * 1000,
    });
    json(res, 200, { token, expires_in: expiresIn, issued_at: new Date().toISOString() });
  }
}

export interface ImageParts {
  manifest: Descriptor;
  config: Descriptor;
  layer: Descriptor;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "content-type": "application/json", "content-length": bytes.length });
  res.end(bytes);
}
