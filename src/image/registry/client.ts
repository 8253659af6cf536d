/**
 * A client for one registry host, Distribution API v2
 * (https://github.com/distribution/distribution/blob/main/docs/content/spec/api.md), pull side:
 * ping, manifests and blobs, with the token flow of
 * https://github.com/distribution/distribution/blob/main/docs/content/spec/auth/token.md
 * (and its OAuth2 form, auth/oauth.md) or Basic auth.
 *
 * Every request has a timeout (connect, headers, and each gap in a body), retryable failures
 * (429, 5xx, network errors) are retried with exponential backoff honouring Retry-After, blob
 * redirects are followed by hand so the Authorization header never leaves the registry's origin,
 * manifests are size-capped and digest-checked, and blobs are verified while they stream.
 * Errors are one-line DrydockErrors scrubbed of every secret the client holds.
 */
import { readFile } from "node:fs/promises";
import { Readable, Transform, type TransformCallback } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { Agent } from "undici";
import { DrydockError } from "../../errors.ts";
import { DigestVerifier, digestOf, verifyBuffer } from "../digest.ts";
import { DEFAULT_REGISTRY, DOCKER_HUB_API_HOST } from "../reference.ts";
import {
  type BlobReader,
  type Descriptor,
  INDEX_MEDIA_TYPES,
  MANIFEST_MEDIA_TYPES,
  MEDIA_TYPES,
} from "../types.ts";
import { type AuthChallenge, parseAuthenticate } from "./challenge.ts";
import { type CredentialOptions, lookupCredentials, type RegistryCredentials } from "./credentials.ts";
import {
  backoffMs,
  createAgent,
  discard,
  isRetryableStatus,
  isTransient,
  networkError,
  oneLine,
  readBody,
  retryAfterMs,
  sleep,
} from "./http.ts";

export interface RegistryOptions extends CredentialOptions {
  /** PEM file with extra CA certificates to trust (besides the default roots). */
  caCert?: string;
  /** Hosts (`host[:port]`) that may use plain HTTP or unverified TLS, besides loopback. */
  insecureRegistries?: string[];
  /** Connect, header and body-idle timeout of each request (default 30 s). */
  timeoutMs?: number;
  /** Retries after a 429, a 5xx or a network error (default 4). */
  retries?: number;
  /** First backoff delay, doubled each retry (default 500 ms). */
  retryBaseMs?: number;
  /** Longest wait between two tries, Retry-After included (default 30 s). */
  maxRetryDelayMs?: number;
  /** Largest manifest or index accepted (default 4 MiB). */
  maxManifestBytes?: number;
  /** Largest image config accepted (default 32 MiB). */
  maxConfigBytes?: number;
  userAgent?: string;
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export interface PingResult {
  /** Base URL, e.g. `https://registry-1.docker.io`. */
  url: string;
  auth: "none" | "basic" | "bearer";
}

export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.dockerManifest,
].join(", ");

const KNOWN_MANIFEST_TYPES: readonly string[] = [...INDEX_MEDIA_TYPES, ...MANIFEST_MEDIA_TYPES];
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
const MAX_TOKEN_RESPONSE = 1 << 20;
const MAX_ERROR_BODY = 64 * 1024;

interface CachedToken {
  token: string;
  expiresAt: number;
}

interface Exchange {
  response: Response;
  body?: Buffer;
}

interface ExchangeOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Repository scope to authorize the request for; absent = no registry auth. */
  scope?: string;
  /** Read the body (up to this many bytes) inside the retry loop. */
  buffer?: number;
  /** Tries in all (default: 1 + retries). */
  attempts?: number;
  /**
   * A large body to stream (a blob): a successful response's body is a Node stream, found with
   * `nodeBodyOf(response)`, and `response.body` is null.
   */
  stream?: boolean;
}

/**
 * Bodies of streamed responses, by response. Blobs are read with undici's `request()` rather
 * than `fetch()`: fetch hands the body over as a WHATWG stream, and turning that back into a
 * Node stream costs promises and garbage per piece (reading the benchmark image from a local
 * registry: 6.8 s of CPU with fetch, 6.1 s with request(); bench/image-read/README.md). Unlike
 * fetch, request() asks for no Content-Encoding, so the bytes are the blob as stored.
 */
const nodeBodies = new WeakMap<Response, Readable>();

function nodeBodyOf(response: Response): Readable | undefined {
  return nodeBodies.get(response);
}

/** Stops a body we will not read (undici reports the abort as an error nobody needs). */
function dropBody(body: Readable): void {
  body.on("error", () => {});
  body.destroy();
}

/** undici's header record as WHATWG Headers. */
function toHeaders(record: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(record)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** Statuses whose Response may not carry a body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Reads at most `maxBytes` of a body we only want for an error message, and drops the rest. */
async function headOf(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= maxBytes) break;
    }
  } catch {
    // an error body cut short: what arrived is enough
  } finally {
    dropBody(body);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes);
}

/**
 * A GET through undici's `request()`, as a Response: a success keeps its body as a Node stream
 * (nodeBodyOf); any other status carries the start of its body (for error messages), so that
 * redirects, retries and errors are handled as for fetch's responses.
 */
async function streamedRequest(
  dispatcher: Agent,
  target: URL,
  headers: Record<string, string>,
): Promise<Response> {
  const {
    statusCode,
    headers: raw,
    body,
  } = await dispatcher.request({
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: "GET",
    headers,
  });
  const init = { status: statusCode, headers: toHeaders(raw) };
  if (statusCode >= 200 && statusCode < 300 && !NULL_BODY_STATUSES.has(statusCode)) {
    const response = new Response(null, init);
    nodeBodies.set(response, body);
    return response;
  }
  const start = await headOf(body, MAX_ERROR_BODY);
  return new Response(NULL_BODY_STATUSES.has(statusCode) ? null : start, init);
}

/** The host that serves a registry's API: Docker Hub's API is not at docker.io. */
export function apiHost(registry: string): string {
  return registry === DEFAULT_REGISTRY || registry === "index.docker.io" ? DOCKER_HUB_API_HOST : registry;
}

/** `host[:port]` as URLs spell it (lower case, IPv6 compressed), from a host or a URL. */
function normalizeHost(text: string): string {
  const bare = text.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
  try {
    return new URL(`https://${bare}`).host;
  } catch {
    return bare.toLowerCase();
  }
}

function hostname(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]"));
  return host.split(":")[0]!.toLowerCase();
}

/** Loopback hosts may speak plain HTTP (as Docker allows for 127.0.0.0/8 and localhost). */
export function isLoopback(host: string): boolean {
  const name = hostname(host);
  return name === "localhost" || name === "::1" || /^127\.\d+\.\d+\.\d+$/.test(name);
}

export class RegistryClient {
  /** The registry as references name it, e.g. `docker.io`. */
  readonly registry: string;
  /** The host its API is served from, e.g. `registry-1.docker.io`. */
  readonly host: string;
  private readonly options: RegistryOptions;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly insecure: Set<string>;
  private agents?: Promise<{ secure: Agent; insecure?: Agent }>;
  private pinged?: Promise<PingResult>;
  private base = "";
  private challenge?: AuthChallenge;
  private credentialsPromise?: Promise<RegistryCredentials | undefined>;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly tokenRequests = new Map<string, Promise<CachedToken>>();
  private readonly secrets = new Set<string>();

  constructor(registry: string, options: RegistryOptions = {}) {
    this.registry = registry;
    this.host = apiHost(registry);
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = Math.max(0, options.retries ?? 4);
    this.insecure = new Set((options.insecureRegistries ?? []).map(normalizeHost));
    if (options.password) this.secrets.add(options.password);
  }

  /** `GET /v2/`: finds the scheme (HTTPS, or HTTP where allowed) and the auth the registry wants. */
  ping(): Promise<PingResult> {
    return this.guard(() => this.ensurePinged());
  }

  /** A manifest or index by tag or digest, checked against Docker-Content-Digest and the digest asked for. */
  getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    return this.guard(() => this.fetchManifest(repository, reference));
  }

  /** A small blob (an image config) in memory, size-capped and verified. */
  getBlob(
    repository: string,
    descriptor: Descriptor,
    maxBytes = this.options.maxConfigBytes ?? 32 << 20,
  ): Promise<Buffer> {
    return this.guard(() => this.fetchBlob(repository, descriptor, maxBytes));
  }

  /** A blob as a stream that fails if its bytes do not match the descriptor's size and digest. */
  openBlob(repository: string, descriptor: Descriptor): Promise<Readable> {
    return this.guard(() => this.streamBlob(repository, descriptor));
  }

  blobReader(repository: string): BlobReader {
    return { openBlob: (descriptor) => this.openBlob(repository, descriptor) };
  }

  /** Closes pooled connections (streams still open are aborted). */
  async close(): Promise<void> {
    const agents = await this.agents?.catch(() => undefined);
    await Promise.all([agents?.secure.destroy(), agents?.insecure?.destroy()]);
    this.agents = undefined;
  }

  // --- manifests and blobs ---

  private async fetchManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const byDigest = DIGEST.test(reference);
    const what = `${this.registry}/${repository}${byDigest ? "@" : ":"}${reference}`;
    const maxBytes = this.options.maxManifestBytes ?? 4 << 20;
    const { response, body } = await this.exchange(
      `/v2/${repository}/manifests/${reference}`,
      `${what}: manifest`,
      {
        headers: { accept: MANIFEST_ACCEPT },
        scope: pullScope(repository),
        buffer: maxBytes,
      },
    );
    if (!response.ok) throw await this.statusError(response, `${what}: manifest`);
    const bytes = body!;
    const mediaType = manifestMediaType(response.headers.get("content-type"), bytes, what);
    const headerDigest = response.headers.get("docker-content-digest")?.trim() || undefined;
    if (byDigest) verifyBuffer(bytes, reference, `${what}: manifest`);
    if (headerDigest) {
      if (!DIGEST.test(headerDigest)) {
        throw new DrydockError(
          "REGISTRY_BAD_RESPONSE",
          `${what}: malformed Docker-Content-Digest "${oneLine(headerDigest, 80)}"`,
        );
      }
      if (byDigest && headerDigest !== reference) {
        throw new DrydockError(
          "DIGEST_MISMATCH",
          `${what}: the registry's Docker-Content-Digest ${headerDigest} is not the digest asked for`,
        );
      }
      const algorithm = headerDigest.split(":")[0]!;
      if (digestOf(bytes, algorithm) !== headerDigest) {
        throw new DrydockError(
          "DIGEST_MISMATCH",
          `${what}: the manifest bytes do not match the registry's Docker-Content-Digest ${headerDigest}`,
        );
      }
    }
    return { bytes, mediaType, digest: byDigest ? reference : (headerDigest ?? digestOf(bytes)) };
  }

  private async fetchBlob(repository: string, descriptor: Descriptor, maxBytes: number): Promise<Buffer> {
    const what = `${this.registry}/${repository}: blob ${descriptor.digest}`;
    if (descriptor.size > maxBytes) {
      throw new DrydockError(
        "REGISTRY_BAD_RESPONSE",
        `${what}: declares ${descriptor.size} bytes, over the ${maxBytes}-byte limit`,
      );
    }
    const { response, body } = await this.exchange(`/v2/${repository}/blobs/${descriptor.digest}`, what, {
      scope: pullScope(repository),
      buffer: maxBytes,
    });
    if (!response.ok) throw await this.statusError(response, what);
    if (body!.length !== descriptor.size) {
      throw new DrydockError(
        "REGISTRY_BAD_RESPONSE",
        `${what}: got ${body!.length} bytes, the descriptor says ${descriptor.size}`,
      );
    }
    verifyBuffer(body!, descriptor.digest, what);
    return body!;
  }

  private async streamBlob(repository: string, descriptor: Descriptor): Promise<Readable> {
    const what = `${this.registry}/${repository}: blob ${descriptor.digest.slice(0, 19)}`;
    const { response } = await this.exchange(`/v2/${repository}/blobs/${descriptor.digest}`, what, {
      scope: pullScope(repository),
      stream: true,
    });
    if (!response.ok) throw await this.statusError(response, what);
    const source =
      nodeBodyOf(response) ??
      (response.body
        ? Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>)
        : undefined);
    if (!source) throw new DrydockError("REGISTRY_BAD_RESPONSE", `${what}: empty response`);
    const declared = response.headers.get("content-length");
    if (declared !== null && Number(declared) !== descriptor.size) {
      dropBody(source);
      throw new DrydockError(
        "REGISTRY_BAD_RESPONSE",
        `${what}: the registry sends ${declared} bytes, the descriptor says ${descriptor.size}`,
      );
    }
    return this.verifiedStream(source, descriptor, what);
  }

  /** source -> exact-size check -> digest check; every failure becomes a scrubbed DrydockError. */
  private verifiedStream(source: Readable, descriptor: Descriptor, what: string): Readable {
    const verifier = new DigestVerifier(descriptor.digest, what);
    let seen = 0;
    const sizeCheck = new Transform({
      transform(chunk: Buffer, _encoding, callback: TransformCallback) {
        seen += chunk.length;
        if (seen > descriptor.size) {
          callback(
            new DrydockError(
              "REGISTRY_BAD_RESPONSE",
              `${what}: more than the ${descriptor.size} bytes its descriptor declares`,
            ),
          );
          return;
        }
        callback(null, chunk);
      },
      flush(callback: TransformCallback) {
        if (seen < descriptor.size) {
          callback(
            new DrydockError(
              "REGISTRY_BAD_RESPONSE",
              `${what}: ended after ${seen} of ${descriptor.size} bytes`,
            ),
          );
          return;
        }
        callback();
      },
    });
    source.on("error", (error) => verifier.destroy(this.scrub(networkError(error, what, this.timeoutMs))));
    sizeCheck.on("error", (error) => verifier.destroy(this.scrub(error)));
    verifier.on("close", () => {
      if (!source.readableEnded) source.destroy();
    });
    source.pipe(sizeCheck).pipe(verifier);
    return verifier;
  }

  // --- requests: ping, auth, retries, redirects ---

  private ensurePinged(): Promise<PingResult> {
    if (!this.pinged) {
      this.pinged = this.doPing();
      this.pinged.catch(() => {
        this.pinged = undefined; // let a later call try again
      });
    }
    return this.pinged;
  }

  private async doPing(): Promise<PingResult> {
    const plainAllowed = this.allowsPlainHttp(this.host);
    const schemes = plainAllowed ? ["https", "http"] : ["https"];
    let response: Response | undefined;
    for (const [i, scheme] of schemes.entries()) {
      const last = i === schemes.length - 1;
      const base = `${scheme}://${this.host}`;
      try {
        // Probing HTTPS on a host that may be plain HTTP: one try, then fall back.
        ({ response } = await this.exchange(`${base}/v2/`, `${this.host}: ping`, {
          attempts: last ? undefined : 1,
        }));
        this.base = base;
        break;
      } catch (error) {
        // A certificate problem means the server does speak TLS: report it, do not downgrade.
        if (
          last ||
          !(error instanceof DrydockError) ||
          !/^REGISTRY_(HANDSHAKE|UNAVAILABLE|TIMEOUT)$/.test(error.code)
        ) {
          throw error;
        }
      }
    }
    await discard(response!);
    if (response!.ok) {
      this.challenge = undefined;
      return { url: this.base, auth: "none" };
    }
    if (response!.status === 401) {
      this.challenge = this.pickChallenge(response!);
      if (!this.challenge) {
        throw new DrydockError(
          "REGISTRY_UNAUTHORIZED",
          `${this.host}: asks for an unsupported authentication scheme (${oneLine(response!.headers.get("www-authenticate") ?? "none", 80)})`,
        );
      }
      return { url: this.base, auth: this.challenge.scheme as "basic" | "bearer" };
    }
    if (response!.status === 404) {
      throw new DrydockError(
        "REGISTRY_BAD_RESPONSE",
        `${this.host}: GET /v2/ answered 404: not a registry (Distribution API v2)`,
      );
    }
    throw await this.statusError(response!, `${this.host}: ping (GET /v2/)`);
  }

  private pickChallenge(response: Response): AuthChallenge | undefined {
    const challenges = parseAuthenticate(response.headers.get("www-authenticate") ?? "");
    return challenges.find((c) => c.scheme === "bearer") ?? challenges.find((c) => c.scheme === "basic");
  }

  /**
   * One request with retries. With a `scope`, it carries the registry's auth, and a 401 renews
   * the token (or adopts the new challenge) once before it counts as a refusal.
   */
  private async exchange(pathOrUrl: string, what: string, options: ExchangeOptions): Promise<Exchange> {
    if (options.scope !== undefined) await this.ensurePinged();
    const url = pathOrUrl.startsWith("/") ? `${this.base}${pathOrUrl}` : pathOrUrl;
    const attempts = options.attempts ?? this.retries + 1;
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const authorization = options.scope !== undefined ? await this.authorization(options.scope) : undefined;
      let response: Response;
      try {
        response = await this.fetchFollowingRedirects(url, options, authorization);
        if (response.status === 401 && options.scope !== undefined && !renewed) {
          const challenge = this.pickChallenge(response);
          // A new token may help; sending the same Basic credentials again would not.
          if (challenge && (challenge.scheme === "bearer" || challenge.scheme !== this.challenge?.scheme)) {
            await discard(response);
            this.challenge = challenge;
            this.forgetTokens(options.scope);
            renewed = true;
            attempt--; // a renewal is not a retry
            continue;
          }
        }
        if (isRetryableStatus(response.status) && attempt < attempts) {
          const wait =
            retryAfterMs(response.headers.get("retry-after")) ??
            backoffMs(attempt - 1, this.retryBase(), this.maxDelay());
          await discard(response);
          await sleep(Math.min(wait, this.maxDelay()));
          continue;
        }
        if (options.buffer !== undefined && response.ok) {
          return { response, body: await readBody(response, options.buffer, what) };
        }
        return { response };
      } catch (error) {
        if (isTransient(error) && attempt < attempts) {
          await sleep(backoffMs(attempt - 1, this.retryBase(), this.maxDelay()));
          continue;
        }
        throw networkError(error, what, this.timeoutMs);
      }
    }
  }

  private async fetchFollowingRedirects(
    url: string,
    options: ExchangeOptions,
    authorization?: string,
  ): Promise<Response> {
    const agents = await this.getAgents();
    let target = new URL(url);
    let auth = authorization;
    let method = options.method ?? "GET";
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = {
        "user-agent": this.options.userAgent ?? "drydock",
        ...options.headers,
      };
      if (auth) headers.authorization = auth;
      const dispatcher =
        this.insecure.has(normalizeHost(target.host)) && agents.insecure ? agents.insecure : agents.secure;
      let response: Response;
      if (options.stream && method === "GET") {
        response = await streamedRequest(dispatcher, target, headers);
      } else {
        // `dispatcher` is undici's extension of RequestInit (Node's fetch is undici's).
        const init = {
          method,
          headers,
          body: method === "GET" || method === "HEAD" ? undefined : options.body,
          redirect: "manual",
          dispatcher,
        };
        response = await fetch(target, init as unknown as RequestInit);
      }
      if (!REDIRECTS.has(response.status)) return response;
      await discard(response);
      const location = response.headers.get("location");
      if (!location)
        throw new DrydockError("REGISTRY_BAD_RESPONSE", `${target.host}: redirect without a Location`);
      if (hop >= MAX_REDIRECTS)
        throw new DrydockError(
          "REGISTRY_BAD_RESPONSE",
          `${target.host}: more than ${MAX_REDIRECTS} redirects`,
        );
      const next = new URL(location, target);
      if (next.protocol !== "https:" && next.protocol !== "http:") {
        throw new DrydockError(
          "REGISTRY_BAD_RESPONSE",
          `${target.host}: redirect to an unsupported scheme ${next.protocol}`,
        );
      }
      // Blob downloads redirect to storage hosts: the registry's credentials stay with it.
      if (next.origin !== target.origin) auth = undefined;
      if (response.status === 303) method = "GET";
      target = next;
    }
  }

  private getAgents(): Promise<{ secure: Agent; insecure?: Agent }> {
    this.agents ??= (async () => {
      let extraCa: string | undefined;
      if (this.options.caCert) {
        try {
          extraCa = await readFile(this.options.caCert, "utf8");
        } catch (error) {
          throw new DrydockError(
            "REGISTRY_CONFIG",
            `--ca-cert ${this.options.caCert}: cannot read (${(error as NodeJS.ErrnoException).code})`,
          );
        }
      }
      const secure = await createAgent({ timeoutMs: this.timeoutMs, extraCa });
      const insecure =
        this.insecure.size > 0 ? await createAgent({ timeoutMs: this.timeoutMs, insecure: true }) : undefined;
      return { secure, insecure };
    })();
    return this.agents;
  }

  private allowsPlainHttp(host: string): boolean {
    return isLoopback(host) || this.insecure.has(normalizeHost(host));
  }

  private retryBase(): number {
    return this.options.retryBaseMs ?? 500;
  }

  private maxDelay(): number {
    return this.options.maxRetryDelayMs ?? 30_000;
  }

  // --- credentials and tokens ---

  private credentials(): Promise<RegistryCredentials | undefined> {
    this.credentialsPromise ??= lookupCredentials(this.registry, this.options).then((found) => {
      for (const secret of [found?.password, found?.identityToken]) if (secret) this.secrets.add(secret);
      return found;
    });
    return this.credentialsPromise;
  }

  private async authorization(scope: string): Promise<string | undefined> {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === "basic") {
      const credentials = await this.credentials();
      if (credentials?.username === undefined) return undefined;
      const basic = Buffer.from(`${credentials.username}:${credentials.password ?? ""}`).toString("base64");
      this.secrets.add(basic);
      return `Basic ${basic}`;
    }
    return `Bearer ${await this.bearerToken(challenge, scope)}`;
  }

  private async bearerToken(challenge: AuthChallenge, scope: string): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm)
      throw new DrydockError("REGISTRY_BAD_RESPONSE", `${this.host}: Bearer challenge without a realm`);
    const service = challenge.params.service;
    const key = `${scope}\n${realm}\n${service ?? ""}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    let pending = this.tokenRequests.get(key);
    if (!pending) {
      pending = this.requestToken(realm, service, scope).finally(() => this.tokenRequests.delete(key));
      this.tokenRequests.set(key, pending);
    }
    const fresh = await pending;
    this.tokens.set(key, fresh);
    return fresh.token;
  }

  private forgetTokens(scope: string): void {
    for (const key of this.tokens.keys()) if (key.startsWith(`${scope}\n`)) this.tokens.delete(key);
  }

  private async requestToken(
    realm: string,
    service: string | undefined,
    scope: string,
  ): Promise<CachedToken> {
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new DrydockError("REGISTRY_BAD_RESPONSE", `${this.host}: token realm is not a URL`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new DrydockError(
        "REGISTRY_BAD_RESPONSE",
        `${this.host}: token realm has unsupported scheme ${url.protocol}`,
      );
    }
    const credentials = await this.credentials();
    const sendsSecrets = Boolean(credentials?.identityToken || credentials?.username !== undefined);
    if (url.protocol === "http:" && sendsSecrets && !this.allowsPlainHttp(url.host)) {
      throw new DrydockError(
        "REGISTRY_INSECURE",
        `${this.host}: refusing to send credentials to a plain-HTTP token server (${url.host})`,
        {
          hint: "list it with --insecure-registry HOST if that is intended",
        },
      );
    }
    const what = `${this.host}: token from ${url.host}`;
    const options: ExchangeOptions = {};
    if (credentials?.identityToken) {
      // OAuth2 refresh-token grant (auth/oauth.md), what `docker login` leaves behind for some registries.
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: credentials.identityToken,
        client_id: "drydock",
        scope,
      });
      if (service) form.set("service", service);
      Object.assign(options, {
        method: "POST",
        body: form.toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    } else {
      if (service) url.searchParams.set("service", service);
      url.searchParams.append("scope", scope);
      if (credentials?.username !== undefined) {
        const basic = Buffer.from(`${credentials.username}:${credentials.password ?? ""}`).toString("base64");
        this.secrets.add(basic);
        options.headers = { authorization: `Basic ${basic}` };
      }
    }
    const { response, body } = await this.exchange(url.toString(), what, {
      ...options,
      buffer: MAX_TOKEN_RESPONSE,
    });
    if (response.status === 401 || response.status === 403) {
      await discard(response);
      throw new DrydockError(
        "REGISTRY_UNAUTHORIZED",
        credentials
          ? `${this.registry}: the token server ${url.host} rejected the credentials from ${credentials.source}`
          : `${this.registry}: the token server ${url.host} wants credentials for ${scope}`,
        { hint: "log in with docker login, or pass --username and --password-stdin" },
      );
    }
    if (!response.ok) throw await this.statusError(response, what);
    return this.parseToken(body!, what);
  }

  private parseToken(body: Buffer, what: string): CachedToken {
    let answer: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      answer = JSON.parse(body.toString("utf8"));
    } catch {
      throw new DrydockError("REGISTRY_BAD_RESPONSE", `${what}: the answer is not JSON`);
    }
    const token = typeof answer.token === "string" && answer.token ? answer.token : answer.access_token;
    if (typeof token !== "string" || !token)
      throw new DrydockError("REGISTRY_BAD_RESPONSE", `${what}: the answer has no token`);
    this.secrets.add(token);
    // The spec's default lifetime is 60 s; renew a little early (10%, at most 30 s).
    const lifetimeMs =
      (typeof answer.expires_in === "number" && answer.expires_in > 0 ? answer.expires_in : 60) * 1000;
    return { token, expiresAt: Date.now() + lifetimeMs - Math.min(30_000, lifetimeMs / 10) };
  }

  // --- errors ---

  /** A one-line error for a non-2xx answer, with the registry's own error code when it sent one. */
  private async statusError(response: Response, what: string): Promise<DrydockError> {
    const body = await readBody(response, MAX_ERROR_BODY, what).catch(() => Buffer.alloc(0));
    const detail = registryErrorDetail(body);
    const suffix = detail ? ` (${detail})` : "";
    const status = response.status;
    if (status === 401 || status === 403) {
      const credentials = await this.credentials().catch(() => undefined);
      return new DrydockError(
        "REGISTRY_UNAUTHORIZED",
        credentials
          ? `${what}: access denied with the credentials from ${credentials.source}${suffix}`
          : `${what}: authentication required${suffix}`,
        { hint: "log in with docker login, or pass --username and --password-stdin" },
      );
    }
    if (status === 404) return new DrydockError("REGISTRY_NOT_FOUND", `${what}: not found${suffix}`);
    if (isRetryableStatus(status)) {
      return new DrydockError(
        "REGISTRY_UNAVAILABLE",
        `${what}: HTTP ${status} after ${this.retries + 1} tries${suffix}`,
      );
    }
    return new DrydockError("REGISTRY_BAD_RESPONSE", `${what}: unexpected HTTP ${status}${suffix}`);
  }

  /** Runs `fn`; any error leaves as a DrydockError whose message holds none of our secrets. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.scrub(
        error instanceof DrydockError ? error : networkError(error, this.host, this.timeoutMs),
      );
    }
  }

  private scrub(error: unknown): DrydockError {
    const original = error instanceof DrydockError ? error : networkError(error, this.host, this.timeoutMs);
    let message = original.message;
    for (const secret of this.secrets) {
      if (secret.length >= 4) message = message.split(secret).join("***");
    }
    if (message === original.message) return original;
    return new DrydockError(original.code, message, { exitCode: original.exitCode, hint: original.hint });
  }
}

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

/** `{"errors":[{"code","message"}]}` (api.md "Errors") as `CODE: message`, bounded. */
function registryErrorDetail(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  try {
    const parsed = JSON.parse(body.toString("utf8")) as {
      errors?: Array<{ code?: unknown; message?: unknown }>;
    };
    const first = parsed.errors?.[0];
    if (!first) return undefined;
    const parts = [first.code, first.message].filter(
      (p): p is string => typeof p === "string" && p.length > 0,
    );
    return parts.length > 0 ? oneLine(parts.join(": "), 160) : undefined;
  } catch {
    return undefined;
  }
}

/** The manifest's media type: Content-Type when it is a known one, else the document's own field or shape. */
function manifestMediaType(contentType: string | null, bytes: Buffer, what: string): string {
  const header = contentType?.split(";")[0]?.trim().toLowerCase();
  if (header && KNOWN_MANIFEST_TYPES.includes(header)) return header;
  let document: { mediaType?: unknown; manifests?: unknown; config?: unknown; schemaVersion?: unknown } = {};
  try {
    document = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new DrydockError("REGISTRY_BAD_RESPONSE", `${what}: the manifest is not JSON`);
  }
  const field = typeof document.mediaType === "string" ? document.mediaType : undefined;
  if (field && KNOWN_MANIFEST_TYPES.includes(field)) return field;
  if (document.schemaVersion === 1 || header?.includes("manifest.v1") || field?.includes("manifest.v1")) {
    throw new DrydockError(
      "UNSUPPORTED_MEDIA_TYPE",
      `${what}: Docker schema 1 manifests are not supported (push the image again with a current client)`,
    );
  }
  // OCI lets the mediaType field be absent: tell an index from a manifest by shape.
  if (!field && Array.isArray(document.manifests)) return MEDIA_TYPES.ociIndex;
  if (!field && document.config) return MEDIA_TYPES.ociManifest;
  throw new DrydockError(
    "UNSUPPORTED_MEDIA_TYPE",
    `${what}: unsupported manifest type ${oneLine(field ?? header ?? "unknown", 80)}`,
  );
}
