/**
 * HTTP plumbing for the registry client: undici agents (CA bundle, connect / header / idle-body
 * timeouts) for Node's own `fetch` and for undici's `request()` (blob bodies), capped body reads, retry delays (RFC 9110 §10.2.3
 * Retry-After) and one-line errors for network failures.
 */
import * as tls from "node:tls";
import type { Agent } from "undici";
import { DrydockError } from "../../errors.ts";

export interface AgentOptions {
  timeoutMs: number;
  /** Extra CA certificates (PEM), trusted besides the default roots. */
  extraCa?: string;
  /** Skip certificate checks (only for registries the user listed as insecure). */
  insecure?: boolean;
}

/**
 * An agent whose timeouts cover every phase: connecting, waiting for headers, and each gap
 * between body chunks (`bodyTimeout` is an idle timeout, so a stalled body aborts).
 */
export async function createAgent(options: AgentOptions): Promise<Agent> {
  const ca = options.extraCa ? [...defaultCertificates(), options.extraCa] : undefined;
  // undici costs ~130 ms to load: only commands that reach a registry pay for it.
  const { Agent } = await import("undici");
  return new Agent({
    connect: {
      timeout: options.timeoutMs,
      ...(ca ? { ca } : {}),
      ...(options.insecure ? { rejectUnauthorized: false } : {}),
    },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
}

/**
 * The CAs Node trusts by default, which a `ca` option would otherwise replace: Node >= 22.15
 * lists them (bundled roots, NODE_EXTRA_CA_CERTS, and the OS store when enabled) with
 * `getCACertificates`; Node 20 has the bundled roots only.
 */
function defaultCertificates(): string[] {
  const list = (tls as { getCACertificates?: (type?: string) => string[] }).getCACertificates;
  if (!list) return [...tls.rootCertificates];
  const certificates = new Set(list("default"));
  try {
    for (const certificate of list("system")) certificates.add(certificate);
  } catch {
    // no OS store on this platform
  }
  return [...certificates];
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);
const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** The innermost error code of a fetch failure (`TypeError: fetch failed` wraps the real one). */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Network failures worth another try (not certificate problems, not our own errors). */
export function isTransient(error: unknown): boolean {
  if (error instanceof DrydockError)
    return error.code === "REGISTRY_TIMEOUT" || error.code === "REGISTRY_UNAVAILABLE";
  const code = errorCode(error);
  return code === undefined ? error instanceof TypeError : !TLS_CODES.has(code) && !isHandshakeFailure(code);
}

/** TLS handshakes that failed for good (e.g. HTTPS spoken to a plain-HTTP server). */
function isHandshakeFailure(code: string): boolean {
  return code === "EPROTO" || code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_");
}

/** A one-line error for a network failure; `what` names the request (never with secrets). */
export function networkError(error: unknown, what: string, timeoutMs: number): DrydockError {
  if (error instanceof DrydockError) return error;
  const code = errorCode(error);
  if (code && TIMEOUT_CODES.has(code)) {
    const phase =
      code === "UND_ERR_BODY_TIMEOUT"
        ? "stalled while sending data"
        : code === "UND_ERR_CONNECT_TIMEOUT"
          ? "did not accept a connection"
          : "did not answer";
    return new DrydockError("REGISTRY_TIMEOUT", `${what}: the server ${phase} for ${timeoutMs / 1000}s`);
  }
  if (code && TLS_CODES.has(code)) {
    return new DrydockError("REGISTRY_TLS", `${what}: TLS certificate not trusted (${code})`, {
      hint: "pass the registry's CA certificate with --ca-cert FILE",
    });
  }
  if (code && isHandshakeFailure(code)) {
    return new DrydockError("REGISTRY_HANDSHAKE", `${what}: TLS handshake failed (${code})`, {
      hint: "a registry that speaks plain HTTP must be listed with --insecure-registry HOST",
    });
  }
  const reason =
    code === "ECONNREFUSED"
      ? "connection refused"
      : code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "host not found"
        : code === "ECONNRESET" || code === "UND_ERR_SOCKET"
          ? "connection reset"
          : (code ?? oneLine((error as Error)?.message ?? String(error)));
  return new DrydockError("REGISTRY_UNAVAILABLE", `${what}: ${reason}`);
}

/** Collapses whitespace and bounds the length of text that came from a server. */
export function oneLine(text: string, max = 200): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Reads a response body up to `maxBytes`; more is an error, and stops the download. */
export async function readBody(response: Response, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(what, maxBytes);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(what, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(what: string, maxBytes: number): DrydockError {
  return new DrydockError("REGISTRY_BAD_RESPONSE", `${what}: larger than the ${formatBytes(maxBytes)} limit`);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Discards a body we will not read, so the connection can be reused. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

/** Statuses a retry may cure. */
export function isRetryableStatus(status: number): boolean {
  return (
    status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504
  );
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), if the server sent one. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter: base·2^attempt, between half and all of it, capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const full = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(full / 2 + (Math.random() * full) / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
