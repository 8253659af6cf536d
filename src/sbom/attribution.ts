/**
 * Which layer brought a package that lives in a database file rewritten by every layer that
 * installs something (dpkg `status`, apk `installed`, rpmdb). The visible copy sits in the last
 * layer that touched the database; the package came from the first layer of the latest run of
 * copies that list it (at the same version). trivy does the same by analysing layer by layer.
 */
import type { FileRef, FileView } from "./files.ts";

/** Keys of the packages in one copy of the database (e.g. `name@version@arch`). */
export type KeysAt = (ref: FileRef) => Iterable<string>;

/** Layer index that introduced each key, as of the copy in `upToLayer` (inclusive). */
export function introducedIn(
  files: FileView,
  path: string,
  keysAt: KeysAt,
  upToLayer: number,
): Map<string, number> {
  const introduced = new Map<string, number>();
  let previous = new Set<string>();
  for (const version of files.history(path)) {
    if (version.layer > upToLayer) break;
    const keys = version.deleted ? new Set<string>() : new Set(keysAt({ path, layer: version.layer }));
    for (const key of keys) if (!previous.has(key)) introduced.set(key, version.layer);
    previous = keys;
  }
  return introduced;
}
