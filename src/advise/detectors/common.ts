/**
 * Helpers shared by the per-language detectors: version-manager files read by several tools
 * (asdf `.tool-versions`, mise `mise.toml`; shared/reference/base-images-and-generators.md §3
 * "Cross-language"), port and entry-point scanning.
 */
import type { ProjectFiles } from "../project-files.ts";
import { lineOf } from "../project-files.ts";
import type { VersionRequest } from "../runtime.ts";
import { tomlTable } from "../toml.ts";
import type { Evidence } from "../types.ts";

export interface DetectContext {
  files: ProjectFiles;
  /** YYYY-MM-DD of the advice (supported lines, Node LTS). */
  date: string;
}

/** `.tool-versions` (asdf) and `mise.toml` / `.mise.toml` entries for one tool. */
export function toolVersionRequests(files: ProjectFiles, tools: string[]): VersionRequest[] {
  const requests: VersionRequest[] = [];
  for (const file of ["mise.toml", ".mise.toml"]) {
    const table = tomlTable(files.toml(file) ?? undefined, "tools");
    if (!table) continue;
    for (const tool of tools) {
      const value = table[tool];
      const version =
        typeof value === "string"
          ? value
          : Array.isArray(value) && typeof value[0] === "string"
            ? value[0]
            : undefined;
      if (!version) continue;
      const text = files.read(file) ?? "";
      requests.push({
        requested: version,
        kind: "pin",
        source: {
          file,
          line: lineOf(text, new RegExp(`^\\s*"?${escapeRegExp(tool)}"?\\s*=`, "m")),
          detail: `[tools] ${tool}`,
        },
      });
    }
  }
  const asdf = files.read(".tool-versions");
  if (asdf) {
    asdf.split("\n").forEach((raw, index) => {
      const [tool, version] = raw.replace(/#.*/, "").trim().split(/\s+/);
      if (tool && version && tools.includes(tool)) {
        requests.push({
          requested: version,
          kind: "pin",
          source: { file: ".tool-versions", line: index + 1, detail: tool },
        });
      }
    });
  }
  return requests;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** First non-comment, non-empty line of a version file, with its line number. */
export function firstLine(text: string): { value: string; line: number } | null {
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const value = lines[k]!.replace(/#.*/, "").trim();
    if (value) return { value, line: k + 1 };
  }
  return null;
}

/**
 * A listening port in source code: `listen(3000`, `PORT || 8080`, `":8080"`, `port=5000`,
 * `("", 8000)`. Returns the first plausible one with its line.
 */
export function findPortInSource(
  text: string,
  file: string,
  patterns: RegExp[],
): { value: number; source: Evidence } | undefined {
  for (const pattern of patterns) {
    const global = new RegExp(
      pattern.source,
      pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
    );
    for (const match of text.matchAll(global)) {
      const value = Number(match[1]);
      if (!Number.isInteger(value) || value < 80 || value > 65535) continue;
      const line = text.slice(0, match.index).split("\n").length;
      return { value, source: { file, line, detail: match[0].trim() } };
    }
  }
  return undefined;
}

/** Evidence for a file that exists, with a line when `pattern` matches. */
export function evidence(
  files: ProjectFiles,
  file: string,
  pattern?: RegExp | string,
  detail?: string,
): Evidence {
  const text = pattern ? files.read(file) : null;
  const line = text && pattern ? lineOf(text, pattern) : undefined;
  return { file, ...(line ? { line } : {}), ...(detail ? { detail } : {}) };
}

/** `PORT=NNNN` in the documented env examples (only as a last resort). */
export function portFromEnvFiles(files: ProjectFiles): { value: number; source: Evidence } | undefined {
  // Never .env itself: it holds secrets, and only the documented examples are read.
  for (const file of [".env.example", ".env.sample"]) {
    const text = files.read(file);
    if (!text) continue;
    const found = findPortInSource(text, file, [/^\s*PORT\s*=\s*"?(\d{2,5})/m]);
    if (found) return found;
  }
  return undefined;
}

export function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}

/** Splits a command line into words (quotes honoured, no expansion); null with shell syntax. */
export function splitCommand(command: string): string[] | null {
  if (/[|&;<>`]|\$\(/.test(command)) return null;
  const words: string[] = [];
  let current = "";
  let quote: string | null = null;
  let started = false;
  for (const c of command.trim()) {
    if (quote) {
      if (c === quote) quote = null;
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started || current) words.push(current);
      current = "";
      started = false;
    } else current += c;
  }
  if (quote) return null;
  if (started || current) words.push(current);
  return words;
}

export interface ProcfileCommand {
  argv: string[];
  source: Evidence;
  /** `$PORT` / `${PORT}` appeared and was replaced by the port. */
  portVariable: boolean;
  /** The command needs a shell (operators); argv is `sh -c <command>`. */
  needsShell: boolean;
}

/**
 * The `web:` process of a Procfile (Heroku/Dokku convention, read by buildpacks), as exec-form
 * argv. `$PORT` is replaced by `port` because exec form does not expand variables.
 */
export function procfileWeb(files: ProjectFiles, port: number): ProcfileCommand | undefined {
  const text = files.read("Procfile");
  if (!text) return undefined;
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const match = /^web:\s*(.+)$/.exec(lines[k]!.trim());
    if (!match) continue;
    const raw = match[1]!.trim();
    const portVariable = /\$\{?PORT(?::-\d+)?\}?/.test(raw);
    const command = raw.replace(/\$\{?PORT(?::-\d+)?\}?/g, String(port));
    const words = splitCommand(command);
    const source = { file: "Procfile", line: k + 1, detail: `web: ${raw}` };
    if (words && !words.some((w) => w.includes("$")))
      return { argv: words, source, portVariable, needsShell: false };
    return { argv: ["sh", "-c", command], source, portVariable, needsShell: true };
  }
  return undefined;
}
