import { isAbsolute, relative } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * A report path with forward slashes, relative to `cwd` when the file was given as an absolute
 * path inside it (code-scanning and code-quality tools expect repository-relative paths).
 */
export function portablePath(file: string, cwd?: string): string {
  let path = file;
  if (cwd !== undefined && isAbsolute(file)) {
    const rel = relative(cwd, file);
    if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) path = rel;
  }
  return path
    .split("\\")
    .join("/")
    .replace(/^(\.\/)+/, "");
}

/**
 * An RFC 3986 URI reference for a report path: relative paths are percent-encoded segment by
 * segment; paths still absolute after `portablePath` become `file:` URIs.
 */
export function pathToUriReference(file: string, cwd?: string): string {
  const path = portablePath(file, cwd);
  if (isAbsolute(path) || /^[A-Za-z]:\//.test(path)) return pathToFileURL(file).href;
  return path.split("/").map(encodeURIComponent).join("/");
}
