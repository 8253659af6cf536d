import { createHash } from "node:crypto";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { DrydockError } from "../errors.ts";

const SUPPORTED = new Set(["sha256", "sha512"]);

export function digestOf(data: Uint8Array, algorithm = "sha256"): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest("hex")}`;
}

/** Passes bytes through and fails at the end when they do not hash to `digest`. */
export class DigestVerifier extends Transform {
  private readonly hash;
  private readonly expected: string;
  private readonly label: string;
  bytes = 0;
  /** The stream piped into this one, if any (read.ts looks behind it for a seekable file). */
  upstream: Readable | undefined;

  constructor(digest: string, label: string) {
    super({ highWaterMark: 1 << 16 });
    this.once("pipe", (source: Readable) => {
      this.upstream = source;
    });
    const [algorithm, hex] = digest.split(":");
    if (!algorithm || !hex || !SUPPORTED.has(algorithm)) {
      throw new DrydockError("BAD_DIGEST", `${label}: unsupported digest "${digest}"`);
    }
    this.hash = createHash(algorithm);
    this.expected = hex.toLowerCase();
    this.label = label;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual = this.hash.digest("hex");
    if (actual !== this.expected) {
      callback(
        new DrydockError(
          "DIGEST_MISMATCH",
          `${this.label}: content does not match its digest (got sha256:${actual.slice(0, 12)}…)`,
        ),
      );
      return;
    }
    callback();
  }
}

/** Checks a whole buffer against a digest. */
export function verifyBuffer(data: Uint8Array, digest: string, label: string): void {
  const algorithm = digest.split(":")[0] ?? "";
  if (!SUPPORTED.has(algorithm))
    throw new DrydockError("BAD_DIGEST", `${label}: unsupported digest "${digest}"`);
  if (digestOf(data, algorithm) !== digest.toLowerCase()) {
    throw new DrydockError("DIGEST_MISMATCH", `${label}: content does not match its digest ${digest}`);
  }
}
