/**
 * Read-only access to a project's files for detection: reads are cached, paths are relative to
 * the project folder (POSIX separators), and nothing outside that folder is read.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { parseToml, type TomlTable } from "./toml.ts";

/** Folders never searched: dependencies, build output, VCS and tool caches. */
export const SKIPPED_DIRS = new Set([
  ".git",
  ".hg",
  ".svn",
  "node_modules",
  "vendor",
  "target",
  "dist",
  "build",
  "out",
  "bin",
  "obj",
  ".venv",
  "venv",
  "env",
  "__pycache__",
  ".tox",
  ".nox",
  ".mypy_cache",
  ".pytest_cache",
  ".next",
  ".nuxt",
  ".cache",
  ".gradle",
  ".idea",
  ".vscode",
  "coverage",
  "__fixtures__",
]);

/** Files larger than this are not read (lockfiles of big apps stay well below). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export class ProjectFiles {
  readonly root: string;
  private readonly texts = new Map<string, string | null>();
  private readonly tomls = new Map<string, TomlTable | null>();
  private readonly jsons = new Map<string, unknown>();
  private readonly listings = new Map<string, string[]>();
  /** Files that could not be parsed, with the reason (reported as notes). */
  readonly parseErrors: { file: string; message: string }[] = [];

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** A view of a subfolder sharing nothing (paths relative to it). */
  sub(path: string): ProjectFiles {
    return new ProjectFiles(join(this.root, path));
  }

  private absolute(path: string): string | null {
    const full = resolve(this.root, path);
    if (full !== this.root && !full.startsWith(this.root + sep)) return null;
    return full;
  }

  read(path: string): string | null {
    if (this.texts.has(path)) return this.texts.get(path)!;
    let text: string | null = null;
    const full = this.absolute(path);
    try {
      if (full && statSync(full).isFile() && statSync(full).size <= MAX_FILE_BYTES) {
        text = readFileSync(full, "utf8").replace(/^\uFEFF/, "");
      }
    } catch {
      text = null;
    }
    this.texts.set(path, text);
    return text;
  }

  exists(path: string): boolean {
    const full = this.absolute(path);
    if (!full) return false;
    try {
      statSync(full);
      return true;
    } catch {
      return false;
    }
  }

  isFile(path: string): boolean {
    const full = this.absolute(path);
    try {
      return full !== null && statSync(full).isFile();
    } catch {
      return false;
    }
  }

  isDir(path: string): boolean {
    const full = this.absolute(path);
    try {
      return full !== null && statSync(full).isDirectory();
    } catch {
      return false;
    }
  }

  /** Entry names of a folder, sorted ("" or "." is the project folder). */
  list(path = "."): string[] {
    const key = path === "" ? "." : path;
    if (this.listings.has(key)) return this.listings.get(key)!;
    let names: string[] = [];
    const full = this.absolute(key);
    try {
      if (full) names = readdirSync(full).sort();
    } catch {
      names = [];
    }
    this.listings.set(key, names);
    return names;
  }

  /** Files in a folder whose names match `pattern`. */
  filesMatching(pattern: RegExp, path = "."): string[] {
    return this.list(path)
      .filter((name) => pattern.test(name))
      .map((name) => (path === "." || path === "" ? name : `${path}/${name}`))
      .filter((file) => this.isFile(file));
  }

  toml(path: string): TomlTable | null {
    if (this.tomls.has(path)) return this.tomls.get(path)!;
    const text = this.read(path);
    let table: TomlTable | null = null;
    if (text !== null) {
      try {
        table = parseToml(text);
      } catch (error) {
        this.parseErrors.push({ file: path, message: (error as Error).message });
      }
    }
    this.tomls.set(path, table);
    return table;
  }

  json(path: string): unknown {
    if (this.jsons.has(path)) return this.jsons.get(path);
    const text = this.read(path);
    let value: unknown = null;
    if (text !== null) {
      try {
        value = JSON.parse(text);
      } catch (error) {
        // package.json may not have comments, but tsconfig-like files do; report, don't guess.
        this.parseErrors.push({ file: path, message: (error as Error).message });
      }
    }
    this.jsons.set(path, value);
    return value;
  }

  /**
   * Files below `path` (depth-limited, skipping SKIPPED_DIRS and hidden folders) whose name
   * matches; relative paths, sorted. `limit` caps the walk for huge trees.
   */
  walk(pattern: RegExp, options: { path?: string; depth?: number; limit?: number } = {}): string[] {
    const found: string[] = [];
    const limit = options.limit ?? 2000;
    const visit = (dir: string, depth: number) => {
      for (const name of this.list(dir)) {
        if (found.length >= limit) return;
        const rel = dir === "." ? name : `${dir}/${name}`;
        if (this.isDir(rel)) {
          if (depth > 0 && !SKIPPED_DIRS.has(name) && !name.startsWith(".")) visit(rel, depth - 1);
        } else if (pattern.test(name)) found.push(rel);
      }
    };
    visit(options.path ?? ".", options.depth ?? 4);
    return found.sort();
  }

  /** The path relative to another root (for reports). */
  relativeTo(base: string): string {
    const rel = relative(resolve(base), this.root).split(sep).join("/");
    return rel === "" ? "." : rel;
  }
}

/** 1-based line of the first match of `pattern` in `text`, or undefined. */
export function lineOf(text: string, pattern: RegExp | string): number | undefined {
  const index = typeof pattern === "string" ? text.indexOf(pattern) : text.search(pattern);
  if (index < 0) return undefined;
  return text.slice(0, index).split("\n").length;
}
