/**
 * The one capture rule for executable files, shared by the Go and Rust catalogers: read each
 * executable ELF once during the layer pass and keep only the build facts. Binaries up to
 * BUFFERED_MAX are read whole (the ELF headers sit at both ends); larger ones are scanned as
 * they stream for the Go >= 1.18 build info, which needs no random access.
 */
import type { CaptureRule } from "../../image/layer-index.ts";
import { isElf, parseElf } from "./elf.ts";
import {
  GO_BUILDINFO_MAGIC,
  type GoBuildInfo,
  parseModInfo,
  readGoBuildInfo,
  readInlineBuildInfo,
} from "./go-buildinfo.ts";
import { type AuditablePackage, readCargoAuditable } from "./rust-audit.ts";

export interface ExecutableFacts {
  go?: GoBuildInfo;
  rust?: AuditablePackage[];
}

const MiB = 1024 * 1024;
const BUFFERED_MAX = 48 * MiB;
const SCANNED_MAX = 4096 * MiB;
const MIN_SIZE = 1024;

export async function executableFacts(
  stream: AsyncIterable<Buffer>,
  size: number,
): Promise<ExecutableFacts | undefined> {
  if (size > BUFFERED_MAX) return scanGoBuildInfo(stream);
  const whole = await readElfWhole(stream, size);
  if (!whole) return undefined;
  const parsed = parseElf(whole);
  const facts: ExecutableFacts = {};
  const go = readGoBuildInfo(whole, parsed);
  if (go) facts.go = go;
  const rust = parsed ? readCargoAuditable(whole, parsed) : undefined;
  if (rust) facts.rust = rust;
  return facts.go || facts.rust ? facts : undefined;
}

/** The whole file in one allocation (no chunk list plus copy), or undefined when not ELF. */
async function readElfWhole(stream: AsyncIterable<Buffer>, size: number): Promise<Buffer | undefined> {
  let whole: Buffer | undefined;
  let length = 0;
  let elf: boolean | undefined;
  // Read to the end even when the file is not ELF: leaving a `for await` early destroys it.
  for await (const chunk of stream) {
    elf ??= isElf(chunk);
    if (!elf) continue;
    whole ??= Buffer.allocUnsafe(size);
    const n = Math.min(chunk.length, size - length);
    chunk.copy(whole, length, 0, n);
    length += n;
  }
  return whole && length === size ? whole : whole?.subarray(0, length);
}

/**
 * Streams a large binary looking for the 16-byte aligned build info magic, then collects the
 * bytes after it until the inline strings are complete. Memory: one chunk plus the strings.
 */
async function scanGoBuildInfo(stream: AsyncIterable<Buffer>): Promise<ExecutableFacts | undefined> {
  const keep = GO_BUILDINFO_MAGIC.length - 1;
  let tail: Buffer = Buffer.alloc(0);
  let offset = 0; // file offset of tail[0]
  let collected: Buffer | undefined;
  let first = true;
  let done = false;
  let found: GoBuildInfo | undefined;
  for await (const chunk of stream) {
    if (first && !isElf(chunk)) done = true;
    first = false;
    if (done) continue; // keep reading to the end (see executableFacts)
    if (collected) {
      collected = Buffer.concat([collected, chunk]);
    } else {
      const window = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
      let at = window.indexOf(GO_BUILDINFO_MAGIC);
      while (at >= 0 && (offset + at) % 16 !== 0) at = window.indexOf(GO_BUILDINFO_MAGIC, at + 1);
      if (at < 0) {
        const cut = Math.max(0, window.length - keep);
        offset += cut;
        tail = window.subarray(cut);
        continue;
      }
      collected = window.subarray(at);
    }
    if (collected.length < 32) continue;
    const strings = readInlineBuildInfo(collected, 0);
    if (strings?.[0].startsWith("go")) {
      found = parseModInfo(strings[0], strings[1]);
      done = true;
    } else if ((collected[15]! & 2) === 0 || collected.length > 8 * MiB) {
      // Go < 1.18 (pointer form) needs random access; or a false match.
      done = true;
    }
  }
  return found ? { go: found } : undefined;
}

const isExecutable = (mode: number) => (mode & 0o111) !== 0;

export const EXECUTABLE_CAPTURE: CaptureRule = {
  matches: (_path, entry) => entry !== undefined && isExecutable(entry.mode) && entry.size >= MIN_SIZE,
  maxBytes: SCANNED_MAX,
  extract: async (_path, stream, size) => {
    try {
      return await executableFacts(stream, size);
    } catch {
      return undefined;
    }
  },
};
