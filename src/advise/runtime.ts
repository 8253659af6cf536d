/**
 * Turns the version requests a detector found (in priority order) into one release line, with
 * a reason that names the file. Pins win as written; ranges and minimums pick the preferred
 * supported line when allowed, else the newest supported line that matches
 * (shared/reference/base-images-and-generators.md §3).
 */
import { RUNTIME_LINES, releaseLine, supportedLines } from "./data/runtimes.ts";
import type { RuntimeRequest, RuntimeVersion, StackId } from "./types.ts";
import {
  compareVersions,
  type Dialect,
  lineOf,
  lineSatisfies,
  parseRange,
  parseVersion,
  pickLine,
} from "./versions.ts";

export interface VersionRequest extends RuntimeRequest {
  dialect?: Dialect;
  /** A line already resolved by the detector (e.g. an nvm alias), used as a pin. */
  line?: string;
}

export interface ResolveOptions {
  /** YYYY-MM-DD: decides which lines are supported. */
  date: string;
  /** Overrides the data's preferred line (Node: the newest LTS on `date`). */
  preferred?: string;
  preferredWhy?: string;
}

function where(request: RuntimeRequest): string {
  const { file, line, detail } = request.source;
  return `${detail ? `${detail} in ` : ""}${file}${line ? `:${line}` : ""}`;
}

export function resolveRuntime(
  stack: StackId,
  requests: VersionRequest[],
  options: ResolveOptions,
): RuntimeVersion {
  const data = RUNTIME_LINES[stack];
  const preferred = options.preferred ?? data.preferred;
  const preferredWhy = options.preferredWhy ?? data.preferredWhy;
  const supported = supportedLines(stack, options.date);
  const allLines = data.lines.map((l) => l.line);
  const strip = ({ dialect: _d, line: _l, ...rest }: VersionRequest): RuntimeRequest => rest;

  let chosen: { line: string; reason: string; request?: VersionRequest } | null = null;
  for (const request of requests) {
    const line = request.line ?? (request.kind === "pin" ? lineOf(request.requested, data.components) : null);
    if (line) {
      chosen = { line, request, reason: `${stackLabel(stack)} ${line} from ${where(request)}` };
      break;
    }
    const range = parseRange(
      request.kind === "minimum" ? `>=${request.requested}` : request.requested,
      request.dialect ?? "npm",
    );
    if (!range) continue;
    const fromSupported = pickLine(supported, range, preferred);
    const pick =
      fromSupported ?? pickLine(allLines, range, preferred) ?? newerThanKnown(request, data.components);
    if (!pick) continue;
    const among = fromSupported ? " among supported lines" : "";
    const allowed =
      pick.matching.length > 1
        ? `allows ${pick.matching[0]}–${pick.matching[pick.matching.length - 1]}${among}`
        : `allows ${pick.line}${among}`;
    const why =
      pick.line === preferred
        ? `${pick.line}: ${preferredWhy}`
        : `${pick.line}, the newest supported line it allows`;
    chosen = { line: pick.line, request, reason: `${where(request)} ${allowed}; using ${why}` };
    break;
  }
  if (!chosen) {
    chosen = {
      line: preferred,
      reason: `no version requested in the project; using ${preferred}: ${preferredWhy}`,
    };
  }

  const others = requests.filter((r) => r !== chosen.request).map(strip);
  const release = releaseLine(stack, chosen.line);
  const result: RuntimeVersion = {
    line: chosen.line,
    ...(chosen.request ? { from: strip(chosen.request) } : {}),
    others,
    reason: chosen.reason,
  };
  if (release?.eol) {
    result.eol = release.eol;
    result.endOfLife = release.eol < options.date;
  }
  return result;
}

/** A minimum above every known line ("go 1.27"): build with exactly that line. */
function newerThanKnown(
  request: VersionRequest,
  components: number,
): { line: string; matching: string[] } | null {
  if (request.kind !== "minimum") return null;
  const line = lineOf(request.requested, components);
  return line ? { line, matching: [line] } : null;
}

function stackLabel(stack: StackId): string {
  return {
    go: "Go",
    rust: "Rust",
    python: "Python",
    node: "Node.js",
    java: "Java",
    dotnet: ".NET",
    ruby: "Ruby",
    php: "PHP",
  }[stack];
}

/** Requests (other than the chosen one) that the chosen line does not satisfy. */
export function conflictingRequests(
  runtime: RuntimeVersion,
  dialectOf: (r: RuntimeRequest) => Dialect,
): RuntimeRequest[] {
  return runtime.others.filter((other) => {
    if (other.kind === "pin") {
      const parts = parseVersion(other.requested);
      const line = parseVersion(runtime.line);
      if (!parts || !line) return false;
      return compareVersions(parts.slice(0, line.length), line) !== 0;
    }
    const range = parseRange(
      other.kind === "minimum" ? `>=${other.requested}` : other.requested,
      dialectOf(other),
    );
    return range !== null && !lineSatisfies(runtime.line, range);
  });
}
