/**
 * `.dockerignore` matching as BuildKit does it (https://docs.docker.com/build/concepts/context/#dockerignore-files
 * and moby/patternmatcher): one pattern a line, `#` comments, `!` re-includes; each pattern is
 * cleaned like Go's filepath.Clean and a leading `/` dropped, so patterns are anchored at the
 * context root; `*` and `?` never cross `/`, `**` crosses any number of directories; a pattern
 * that matches a directory excludes everything below it; the last matching pattern wins.
 */

interface Pattern {
  text: string;
  regex: RegExp;
  exclusion: boolean;
}

export class DockerIgnore {
  private readonly patterns: Pattern[];

  constructor(text: string) {
    this.patterns = [];
    for (const raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
      let line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      const exclusion = line.startsWith("!");
      if (exclusion) line = line.slice(1).trim();
      let cleaned = cleanPath(line);
      if (cleaned.length > 1 && cleaned.startsWith("/")) cleaned = cleaned.slice(1);
      if (cleaned === "" || cleaned === "/") continue;
      this.patterns.push({ text: cleaned, regex: patternRegex(cleaned), exclusion });
    }
  }

  get isEmpty(): boolean {
    return this.patterns.length === 0;
  }

  /** True when some pattern re-includes (`!pattern`). */
  get hasExceptions(): boolean {
    return this.patterns.some((p) => p.exclusion);
  }

  /**
   * Is this context path (`a/b`, `./a/b/`, `/a`) left out of the context? The context root
   * itself (`.`) only by a pattern that excludes every top-level entry (`*`, `**`, `**\/*`).
   */
  excludes(path: string): boolean {
    const clean = cleanContextPath(path);
    if (clean === "") return this.patterns.some((p) => !p.exclusion && ["*", "**", "**/*"].includes(p.text));
    const parts = clean.split("/");
    const candidates = parts.map((_, k) => parts.slice(0, k + 1).join("/"));
    let excluded = false;
    for (const pattern of this.patterns) {
      if (pattern.exclusion && !excluded) continue;
      // The file itself, or one of its parent directories.
      if (candidates.some((c) => pattern.regex.test(c))) excluded = !pattern.exclusion;
    }
    return excluded;
  }
}

/**
 * The ignore file as BuildKit's CopyIgnoredFile check reads it (DD102): null when it has no
 * patterns, or when some are exceptions (`!`), which a directory-level check cannot judge
 * (a directory may be excluded while a file inside it is re-included).
 */
export function readIgnoreFile(text: string): DockerIgnore | null {
  const ignore = new DockerIgnore(text);
  return ignore.isEmpty || ignore.hasExceptions ? null : ignore;
}

/** True when the ignore file keeps the `.git` directory (or its contents) out of the context. */
export function excludesGitDir(text: string): boolean {
  const ignore = new DockerIgnore(text);
  return ignore.excludes(".git") || ignore.excludes(".git/HEAD");
}

/** Go's path.Clean for slash paths: collapses `//`, `.` and `..` segments. */
export function cleanPath(path: string): string {
  const rooted = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  if (rooted) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/** A context path as BuildKit compares it: `./a//b/` → `a/b`; `/a` → `a`; `.` → `` (the root). */
export function cleanContextPath(path: string): string {
  const clean = cleanPath(path.replace(/\\/g, "/"));
  return clean === "." || clean === "/" ? "" : clean.replace(/^\/+/, "");
}

function patternRegex(pattern: string): RegExp {
  let source = "^";
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k]!;
    if (c === "*") {
      if (pattern[k + 1] === "*") {
        k++;
        if (pattern[k + 1] === "/") k++;
        source += k + 1 >= pattern.length ? ".*" : "(.*/)?";
      } else source += "[^/]*";
    } else if (c === "?") source += "[^/]";
    else if (c === "\\" && k + 1 < pattern.length) {
      k++;
      source += `\\${pattern[k]}`;
    } else if (".+()|{}$^".includes(c) && !isInsideClass(pattern, k)) source += `\\${c}`;
    else source += c;
  }
  try {
    return new RegExp(`${source}$`);
  } catch {
    // An unbalanced `[` is an error in BuildKit too; treat the pattern as matching nothing.
    return /(?!)/;
  }
}

/** `[...]` character classes pass through; `^` right after `[` negates as in Go. */
function isInsideClass(pattern: string, k: number): boolean {
  const open = pattern.lastIndexOf("[", k);
  if (open === -1) return false;
  const close = pattern.indexOf("]", open);
  return close > k;
}
