import type { Dockerfile } from "../dockerfile/parse.ts";
import { ObjectMemo } from "./support/memo.ts";

/**
 * Inline suppressions, hadolint-compatible (hadolint src/Hadolint/Pragma.hs):
 *   # hadolint ignore=DL3006,SC2086      next instruction
 *   # hadolint global ignore=DL3003      whole file
 *   # hadolint stage ignore=DL3011       the stage whose FROM follows
 *   # hadolint shell=powershell          default shell for ShellCheck
 * plus drydock's own `# drydock ignore=CODE[,CODE] reason` (same scopes, free-text reason)
 * and BuildKit's `# check=skip=Name,Name|all` directive.
 */
export interface Pragmas {
  /** line of the instruction → codes ignored there */
  byLine: Map<number, Set<string>>;
  global: Set<string>;
  /** stage index → codes */
  byStage: Map<number, Set<string>>;
  shell: string | null;
  /** BuildKit check names skipped by `# check=skip=` ("all" skips every aliased check). */
  checkSkip: Set<string>;
  /** Lines of comments that are ignore pragmas (for DL1001). */
  ignorePragmaLines: number[];
}

const PRAGMA_RE = /^(hadolint|drydock)\s+(?:(global|stage)\s+)?ignore\s*=\s*(.*)$/;
const CODE_LIST_RE = /^\s*[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*/;

/**
 * The codes of an ignore pragma. hadolint accepts a reason only after a second `#` (else the
 * pragma does not parse, as in hadolint); drydock pragmas take free text after the codes.
 */
function pragmaCodes(tool: string, text: string): string[] | null {
  const hash = text.indexOf("#");
  const list = hash === -1 ? text : text.slice(0, hash);
  const match = CODE_LIST_RE.exec(list);
  if (!match) return null;
  if (tool === "hadolint" && list.slice(match[0].length).trim() !== "") return null;
  return match[0]
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
}
const SHELL_RE = /^hadolint\s+shell\s*=\s*(\S+)/;

// The engine, DL1001 and DL4006 all ask: read once per parsed file.
const pragmasCache = new ObjectMemo<Dockerfile, Pragmas>();

/** The pragmas of a parsed file (shared by its callers: do not modify). */
export function readPragmas(df: Dockerfile): Pragmas {
  let pragmas = pragmasCache.get(df);
  if (!pragmas) {
    pragmas = parsePragmas(df);
    pragmasCache.set(df, pragmas);
  }
  return pragmas;
}

function parsePragmas(df: Dockerfile): Pragmas {
  const pragmas: Pragmas = {
    byLine: new Map(),
    global: new Set(),
    byStage: new Map(),
    shell: null,
    checkSkip: new Set(),
    ignorePragmaLines: [],
  };
  const nextInstruction = (line: number) => df.instructions.find((i) => i.line > line);
  for (const comment of df.comments) {
    // Both kinds of pragma start with the tool's name: most comments are neither.
    if (!comment.text.startsWith("hadolint") && !comment.text.startsWith("drydock")) continue;
    const shell = SHELL_RE.exec(comment.text);
    if (shell) {
      pragmas.shell = shell[1]!;
      continue;
    }
    const match = PRAGMA_RE.exec(comment.text);
    if (!match) continue;
    const codes = pragmaCodes(match[1]!, match[3]!);
    if (!codes) continue;
    pragmas.ignorePragmaLines.push(comment.line);
    const scope = match[2];
    if (scope === "global") {
      for (const c of codes) pragmas.global.add(c);
      continue;
    }
    const target = nextInstruction(comment.line);
    if (!target) continue;
    if (scope === "stage") {
      if (target.keyword !== "FROM") continue;
      const set = pragmas.byStage.get(target.stage) ?? new Set<string>();
      for (const c of codes) set.add(c);
      pragmas.byStage.set(target.stage, set);
      continue;
    }
    // hadolint binds the pragma to the next line; we bind it to the next instruction so that
    // a blank line or another comment in between does not silently drop it.
    const set = pragmas.byLine.get(target.line) ?? new Set<string>();
    for (const c of codes) set.add(c);
    pragmas.byLine.set(target.line, set);
  }
  const check = df.directives.find((d) => d.name === "check");
  if (check) {
    const skip = /(?:^|;)\s*skip\s*=\s*([^;]*)/.exec(check.value);
    if (skip) {
      for (const name of skip[1]!.split(",")) if (name.trim()) pragmas.checkSkip.add(name.trim());
    }
  }
  return pragmas;
}
