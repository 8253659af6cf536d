/**
 * A small Docker Engine API client over node:http (no docker CLI): version negotiation,
 * image inspect, and the image export stream.
 * API reference: https://docs.docker.com/reference/api/engine/ (`GET /_ping`, `GET /version`,
 * `GET /images/{name}/json`, `GET /images/{name}/get`). Requests carry a version prefix
 * (`/v1.41/...`): the lower of what the daemon offers and what this client knows.
 */
import { type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { DrydockError } from "../../errors.ts";
import type { DaemonEndpoint } from "./host.ts";

/** Newest API version this client speaks; the endpoints it uses exist since 1.24. */
export const MAX_API_VERSION = "1.47";
export const MIN_API_VERSION = "1.24";

export interface EngineTimeouts {
  /** Establishing the connection. */
  connectTimeoutMs: number;
  /** Ping, version and inspect: time without a byte from the daemon. */
  requestTimeoutMs: number;
  /** The export stream: time without a byte (the daemon may prepare a while before it sends). */
  stallTimeoutMs: number;
}

export const DEFAULT_ENGINE_TIMEOUTS: EngineTimeouts = {
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  stallTimeoutMs: 120_000,
};

/** The fields of `GET /images/{name}/json` this client uses. */
export interface EngineImage {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Architecture?: string;
  Os?: string;
  Variant?: string;
}

function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** Image names and IDs as the Engine API takes them in a path; anything else is refused. */
const IMAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,1023}$/;

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "EACCES",
  "EPERM",
  "ENOTSOCK",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

interface RequestOptions {
  /** Time without a byte before the request fails. */
  idleTimeoutMs: number;
  /** What is being done, for messages ("inspecting alpine:3.20"). */
  doing: string;
}

export class DockerEngineClient {
  readonly endpoint: DaemonEndpoint;
  private readonly timeouts: EngineTimeouts;
  private negotiated?: Promise<string>;
  private readonly requests = new Set<ClientRequest>();

  constructor(endpoint: DaemonEndpoint, timeouts: Partial<EngineTimeouts> = {}) {
    this.endpoint = endpoint;
    this.timeouts = { ...DEFAULT_ENGINE_TIMEOUTS, ...timeouts };
  }

  /** The API version used for requests, negotiated once with `GET /_ping` (or `/version`). */
  apiVersion(): Promise<string> {
    if (!this.negotiated) {
      this.negotiated = this.negotiate();
      // A failed negotiation is not kept: the next request tries again.
      this.negotiated.catch(() => {
        this.negotiated = undefined;
      });
    }
    return this.negotiated;
  }

  private async negotiate(): Promise<string> {
    const doing = "pinging the Docker daemon";
    const ping = await this.send("/_ping", { idleTimeoutMs: this.timeouts.requestTimeoutMs, doing });
    let offered = headerValue(ping.headers["api-version"]);
    await readBody(ping, 4096).catch(() => Buffer.alloc(0));
    if (ping.statusCode !== 200 || !offered) {
      // Very old daemons answer /_ping without the header; /version always has ApiVersion.
      const response = await this.send("/version", { idleTimeoutMs: this.timeouts.requestTimeoutMs, doing });
      const body = await readBody(response, 1 << 20);
      if (response.statusCode !== 200) throw this.failure(response, body, doing);
      offered = parseJson<{ ApiVersion?: string }>(body)?.ApiVersion ?? MIN_API_VERSION;
    }
    if (!/^\d+\.\d+$/.test(offered)) offered = MIN_API_VERSION;
    if (compareVersions(offered, MIN_API_VERSION) < 0) {
      throw new DrydockError(
        "DAEMON_UNAVAILABLE",
        `the Docker daemon at ${this.endpoint.display} speaks API ${offered}; drydock needs ${MIN_API_VERSION} or later`,
      );
    }
    return compareVersions(offered, MAX_API_VERSION) < 0 ? offered : MAX_API_VERSION;
  }

  /** `GET /images/{name}/json`; a 404 is IMAGE_NOT_FOUND. */
  async inspectImage(name: string): Promise<EngineImage> {
    const path = await this.imagePath(name, "json");
    const doing = `inspecting ${name}`;
    const response = await this.send(path, { idleTimeoutMs: this.timeouts.requestTimeoutMs, doing });
    const body = await readBody(response, 16 << 20);
    if (response.statusCode !== 200) throw this.failure(response, body, doing, name);
    const image = parseJson<EngineImage>(body);
    if (!image || typeof image.Id !== "string") {
      throw new DrydockError(
        "DAEMON_ERROR",
        `${this.endpoint.display}: ${doing}: the daemon's answer is not an image`,
      );
    }
    return image;
  }

  /**
   * `GET /images/{name}/get`: the image as a `docker save` tar, streamed (never stored). The
   * stream fails with DAEMON_TIMEOUT when no byte arrives for stallTimeoutMs.
   */
  async exportImage(name: string): Promise<IncomingMessage> {
    const path = await this.imagePath(name, "get");
    const doing = `exporting ${name}`;
    const response = await this.send(path, { idleTimeoutMs: this.timeouts.stallTimeoutMs, doing });
    if (response.statusCode !== 200) {
      const body = await readBody(response, 1 << 20).catch(() => Buffer.alloc(0));
      throw this.failure(response, body, doing, name);
    }
    return response;
  }

  /** Aborts requests in flight. */
  close(): void {
    for (const request of this.requests) request.destroy();
    this.requests.clear();
  }

  private async imagePath(name: string, action: "json" | "get"): Promise<string> {
    if (!IMAGE_NAME.test(name) || name.includes("..")) {
      throw new DrydockError(
        "BAD_REFERENCE",
        `"${name}" is not an image name or ID the Docker daemon accepts`,
      );
    }
    return `/v${await this.apiVersion()}/images/${name}/${action}`;
  }

  private failure(response: IncomingMessage, body: Buffer, doing: string, image?: string): DrydockError {
    const message = parseJson<{ message?: string }>(body)?.message ?? body.toString("utf8", 0, 300).trim();
    const detail = message.replace(/\s+/g, " ").slice(0, 300);
    if (response.statusCode === 404 && image) {
      return new DrydockError(
        "IMAGE_NOT_FOUND",
        `the Docker daemon has no image "${image}"${detail ? ` (${detail})` : ""}`,
      );
    }
    return new DrydockError(
      "DAEMON_ERROR",
      `${this.endpoint.display}: ${doing}: HTTP ${response.statusCode}${detail ? `: ${detail}` : ""}`,
    );
  }

  /** One GET; resolves with the response once its headers arrive. */
  private send(path: string, options: RequestOptions): Promise<IncomingMessage> {
    const { endpoint } = this;
    return new Promise((resolve, reject) => {
      const request = httpRequest({
        ...(endpoint.kind === "unix"
          ? { socketPath: endpoint.socketPath }
          : { host: endpoint.host, port: endpoint.port }),
        path,
        method: "GET",
        // A connection per request: nothing stays open once the image is read.
        agent: false,
        headers: {
          Host: endpoint.kind === "unix" ? "docker" : `${endpoint.host}:${endpoint.port}`,
          Accept: "*/*",
        },
      });
      this.requests.add(request);
      let response: IncomingMessage | undefined;
      const fail = (error: DrydockError) => {
        if (response) response.destroy(error);
        else request.destroy(error);
      };
      request.on("socket", (socket: Socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(
          () =>
            fail(
              new DrydockError(
                "DAEMON_UNAVAILABLE",
                `the Docker daemon at ${endpoint.display} did not accept a connection within ${this.timeouts.connectTimeoutMs} ms`,
              ),
            ),
          this.timeouts.connectTimeoutMs,
        );
        socket.once("connect", () => clearTimeout(timer));
        socket.once("close", () => clearTimeout(timer));
      });
      request.setTimeout(options.idleTimeoutMs, () =>
        fail(
          new DrydockError(
            "DAEMON_TIMEOUT",
            `${endpoint.display}: ${options.doing}: no data from the Docker daemon for ${Math.round(options.idleTimeoutMs / 1000)} s`,
          ),
        ),
      );
      request.on("response", (res) => {
        response = res;
        res.on("close", () => this.requests.delete(request));
        resolve(res);
      });
      request.on("error", (error) => {
        this.requests.delete(request);
        reject(this.connectionError(error, options.doing));
      });
      request.end();
    });
  }

  private connectionError(error: Error, doing: string): DrydockError {
    if (error instanceof DrydockError) return error;
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const where = `the Docker daemon at ${this.endpoint.display}`;
    if (UNREACHABLE_CODES.has(code)) {
      const why =
        code === "ENOENT"
          ? "no such socket"
          : code === "EACCES" || code === "EPERM"
            ? "permission denied"
            : code === "ECONNREFUSED"
              ? "connection refused"
              : code;
      return new DrydockError(
        "DAEMON_UNAVAILABLE",
        `${where} is not reachable (${why}): is dockerd running?`,
        {
          cause: error,
        },
      );
    }
    return new DrydockError("DAEMON_ERROR", `${where}: ${doing}: ${error.message}`, { cause: error });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseJson<T>(body: Buffer): T | undefined {
  try {
    return JSON.parse(body.toString("utf8")) as T;
  } catch {
    return undefined;
  }
}

/** Reads a whole (small) response body, refusing more than `limit` bytes. */
function readBody(response: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    response.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        response.destroy(
          new DrydockError("DAEMON_ERROR", `the Docker daemon's answer exceeds ${limit} bytes`),
        );
        return;
      }
      chunks.push(chunk);
    });
    response.on("end", () => resolve(Buffer.concat(chunks)));
    response.on("error", reject);
  });
}
