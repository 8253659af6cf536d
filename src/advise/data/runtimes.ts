/**
 * Release lines per language with end-of-life dates, used to turn version requests into an
 * image tag and to warn about unsupported lines.
 *
 * As of 2026-08-22. Sources:
 * - Python: https://devguide.python.org/versions/ (5 years per minor, October releases)
 * - Node.js: https://github.com/nodejs/Release (even majors become LTS in October; 30 months)
 *   and nvm's LTS aliases (https://github.com/nvm-sh/nvm#long-term-support)
 * - Go: https://go.dev/doc/devel/release (each release supported until two newer ones exist)
 * - Java: https://adoptium.net/support/ (Temurin LTS lines: 8, 11, 17, 21, 25)
 * - .NET: https://dotnet.microsoft.com/platform/support/policy/dotnet-core
 * - Ruby: https://www.ruby-lang.org/en/downloads/branches/
 * - PHP: https://www.php.net/supported-versions.php
 * - Rust: the `rust` image's `1` tag follows stable (docker-library/official-images library/rust)
 * Dates marked [memory] in shared/reference/base-images-and-generators.md are estimates.
 */
import type { StackId } from "../types.ts";

export const RUNTIME_DATA_DATE = "2026-08-22";

export interface ReleaseLine {
  line: string;
  /** Last day of support (security fixes), YYYY-MM-DD. */
  eol?: string;
  /** Node: the date the line became LTS. */
  ltsFrom?: string;
  /** nvm alias (Node LTS codename). */
  codename?: string;
}

export interface RuntimeLines {
  /** Oldest first. */
  lines: ReleaseLine[];
  /**
   * The line chosen when nothing is requested, or when a range allows it: the newest line
   * with broad ecosystem support (prebuilt wheels, framework support), not always the newest.
   */
  preferred: string;
  /** Why `preferred` (shown in the reason). */
  preferredWhy: string;
  /** Components in a line ("3.12" → 2, "24" → 1). */
  components: number;
}

export const RUNTIME_LINES: Record<StackId, RuntimeLines> = {
  python: {
    components: 2,
    lines: [
      { line: "3.8", eol: "2024-10-07" },
      { line: "3.9", eol: "2025-10-31" },
      { line: "3.10", eol: "2026-10-31" },
      { line: "3.11", eol: "2027-10-31" },
      { line: "3.12", eol: "2028-10-31" },
      { line: "3.13", eol: "2029-10-31" },
      { line: "3.14", eol: "2030-10-31" },
    ],
    preferred: "3.13",
    preferredWhy:
      "the newest Python with prebuilt wheels for nearly every package (new minors lag for months) and the one distroless ships",
  },
  node: {
    components: 1,
    lines: [
      { line: "16", eol: "2023-09-11", ltsFrom: "2021-10-26", codename: "gallium" },
      { line: "18", eol: "2025-04-30", ltsFrom: "2022-10-25", codename: "hydrogen" },
      { line: "20", eol: "2026-04-30", ltsFrom: "2023-10-24", codename: "iron" },
      { line: "22", eol: "2027-04-30", ltsFrom: "2024-10-29", codename: "jod" },
      { line: "23", eol: "2025-06-01" },
      { line: "24", eol: "2028-04-30", ltsFrom: "2025-10-28", codename: "krypton" },
      { line: "25", eol: "2026-06-01" },
      { line: "26", eol: "2029-04-30", ltsFrom: "2026-10-28" },
    ],
    preferred: "24",
    preferredWhy: "the active LTS line",
  },
  go: {
    components: 2,
    lines: [
      { line: "1.21", eol: "2024-08-13" },
      { line: "1.22", eol: "2025-02-11" },
      { line: "1.23", eol: "2025-08-12" },
      { line: "1.24", eol: "2026-02-10" },
      { line: "1.25", eol: "2027-02-15" },
      { line: "1.26" },
    ],
    preferred: "1.26",
    preferredWhy: "the newest Go release (Go keeps compatibility with older go.mod lines)",
  },
  rust: {
    components: 2,
    lines: [{ line: "1" }],
    preferred: "1",
    preferredWhy: "the current stable toolchain (the rust image's `1` tag)",
  },
  java: {
    components: 1,
    lines: [
      { line: "8", eol: "2030-12-31" },
      { line: "11", eol: "2027-10-31" },
      { line: "17", eol: "2029-10-31" },
      { line: "21", eol: "2031-12-31" },
      { line: "25", eol: "2033-09-30" },
    ],
    preferred: "21",
    preferredWhy: "the LTS line with the widest framework and image support",
  },
  dotnet: {
    components: 2,
    lines: [
      { line: "6.0", eol: "2024-11-12" },
      { line: "7.0", eol: "2024-05-14" },
      { line: "8.0", eol: "2026-11-10" },
      { line: "9.0", eol: "2026-11-10" },
      { line: "10.0", eol: "2028-11-14" },
    ],
    preferred: "10.0",
    preferredWhy: "the current LTS release",
  },
  ruby: {
    components: 2,
    lines: [
      { line: "3.1", eol: "2025-03-31" },
      { line: "3.2", eol: "2026-03-31" },
      { line: "3.3", eol: "2027-03-31" },
      { line: "3.4", eol: "2028-03-31" },
    ],
    preferred: "3.4",
    preferredWhy: "the newest stable Ruby",
  },
  php: {
    components: 2,
    lines: [
      { line: "8.1", eol: "2025-12-31" },
      { line: "8.2", eol: "2026-12-31" },
      { line: "8.3", eol: "2027-12-31" },
      { line: "8.4", eol: "2028-12-31" },
    ],
    preferred: "8.4",
    preferredWhy: "the newest PHP with an official image in every variant",
  },
};

/** nvm aliases for Node LTS lines (`lts/iron`), lower case. */
export function nodeCodenameLine(codename: string): string | undefined {
  return RUNTIME_LINES.node.lines.find((l) => l.codename === codename.toLowerCase())?.line;
}

/** The newest Node line that is LTS on `date` (YYYY-MM-DD). */
export function newestNodeLts(date: string): string {
  const lts = RUNTIME_LINES.node.lines.filter((l) => l.ltsFrom && l.ltsFrom <= date);
  return lts[lts.length - 1]?.line ?? RUNTIME_LINES.node.preferred;
}

export function releaseLine(stack: StackId, line: string): ReleaseLine | undefined {
  return RUNTIME_LINES[stack].lines.find((l) => l.line === line);
}

/** Lines still supported on `date`. */
export function supportedLines(stack: StackId, date: string): string[] {
  return RUNTIME_LINES[stack].lines.filter((l) => !l.eol || l.eol >= date).map((l) => l.line);
}
