import { createHash } from "node:crypto";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { DrydockError } from "../errors.ts";

const SUPPORTED = new Set(["sha256", "sha512"]);

export function digestOf(data: Uint8Array, algorithm = "sha256"): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest("hex")}`;
}

/** The algorithm and lower-case hex of a digest drydock can check (sha256, sha512). */
export function parseDigest(digest: string, label: string): { algorithm: string; hex: string } {
  const [algorithm, hex] = digest.split(":");
  if (!algorithm || !hex || !SUPPORTED.has(algorithm)) {
    throw new DrydockError("BAD_DIGEST", `${label}: unsupported digest "${digest}"`);
  }
  return { algorithm, hex: hex.toLowerCase() };
}

/** The error for content whose hash (`actualHex`) is not the one its digest names. */
export function digestMismatch(label: string, algorithm: string, actualHex: string): DrydockError {
  return new DrydockError(
    "DIGEST_MISMATCH",
    `${label}: content does not match its digest (got ${algorithm}:${actualHex.slice(0, 12)}…)`,
  );
}

/** Passes bytes through and fails at the end when they do not hash to `digest`. */
export class DigestVerifier extends Transform {
  private readonly hash;
  private readonly algorithm: string;
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
    const { algorithm, hex } = parseDigest(digest, label);
    this.hash = createHash(algorithm);
    this.algorithm = algorithm;
    this.expected = hex;
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
      callback(digestMismatch(this.label, this.algorithm, actual));
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
