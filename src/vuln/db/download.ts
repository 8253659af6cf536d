/**
 * HTTP downloads for `db update` and `db import URL`: conditional GET (If-None-Match /
 * If-Modified-Since, RFC 9110 §13.1) so an unchanged feed costs one round trip, a timeout for
 * the answer and another between body chunks, progress reports, and a check that the body is
 * as long as Content-Length says (a cut connection is a failure, not a short file).
 */
import { open, rm } from "node:fs/promises";
import { DrydockError } from "../../errors.ts";

export interface DownloadOptions {
  etag?: string;
  lastModified?: string;
  /** Time allowed for the response headers and then between two body chunks (default 30 s). */
  timeoutMs?: number;
  onProgress?: (received: number, total: number | undefined) => void;
  /** Injectable for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

export type DownloadResult =
  | { status: "not-modified" }
  | { status: "downloaded"; bytes: number; etag?: string; lastModified?: string };

export class DownloadError extends DrydockError {
  constructor(message: string, cause?: unknown) {
    super("DOWNLOAD_FAILED", message, { cause });
    this.name = "DownloadError";
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Downloads `url` into `destination` (created or truncated); removes it on failure. */
export async function download(
  url: string,
  destination: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const headers: Record<string, string> = { "user-agent": "drydock" };
  if (options.etag) headers["if-none-match"] = options.etag;
  if (options.lastModified) headers["if-modified-since"] = options.lastModified;
  const fetchFn = options.fetch ?? fetch;
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`;
  arm();
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    let response: Response;
    try {
      response = await fetchFn(url, { headers, signal: controller.signal, redirect: "follow" });
    } catch (error) {
      throw new DownloadError(
        timedOut ? `${url}: no answer within ${seconds}` : `${url}: request failed${causeText(error)}`,
        error,
      );
    }
    if (response.status === 304) {
      await response.body?.cancel();
      return { status: "not-modified" };
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new DownloadError(`${url}: HTTP ${response.status} ${response.statusText}`.trim());
    }
    const lengthHeader = response.headers.get("content-length");
    const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    file = await open(destination, "w");
    let received = 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        arm();
        const { done, value } = await reader.read();
        if (done) break;
        await file.write(value);
        received += value.byteLength;
        options.onProgress?.(received, total);
      }
    } catch (error) {
      throw new DownloadError(
        timedOut
          ? `${url}: download stalled for ${seconds}`
          : `${url}: download failed (${(error as Error).message})`,
        error,
      );
    }
    await file.close();
    file = undefined;
    if (total !== undefined && received !== total) {
      throw new DownloadError(`${url}: download cut short (${received} of ${total} bytes)`);
    }
    const etag = response.headers.get("etag") ?? undefined;
    const lastModified = response.headers.get("last-modified") ?? undefined;
    return {
      status: "downloaded",
      bytes: received,
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
    };
  } catch (error) {
    await file?.close().catch(() => undefined);
    await rm(destination, { force: true });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** undici hides the reason in `cause` ("fetch failed" says nothing): code and message. */
function causeText(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  if (!cause) return ` (${(error as Error).message})`;
  const parts = [cause.code, cause.message].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(": ")})` : "";
}
