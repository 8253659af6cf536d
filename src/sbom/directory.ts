/**
 * `drydock sbom DIR`: a root filesystem or a project folder, walked once with the same capture
 * rules the image pass uses, so the same catalogers read it. Symbolic links are recorded by
 * the walk but never followed (a rootfs's absolute links point at the host otherwise), and
 * /proc, /sys and /dev are skipped when DIR is a live root.
 */
import { createReadStream } from "node:fs";
import { lstat, opendir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type CaptureRule, LayerIndex } from "../image/layer-index.ts";

const SKIP_AT_ROOT = new Set(["/proc", "/sys", "/dev"]);

export interface DirectoryLayer {
  index: LayerIndex;
  files: number;
}

export async function readDirectory(root: string, capture: readonly CaptureRule[]): Promise<DirectoryLayer> {
  const index = new LayerIndex();
  let files = 0;
  const walk = async (dir: string, relative: string): Promise<void> => {
    const handle = await opendir(dir);
    const children: Array<{ name: string; isDir: boolean; isFile: boolean }> = [];
    for await (const entry of handle) {
      children.push({ name: entry.name, isDir: entry.isDirectory(), isFile: entry.isFile() });
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      const path = `${relative}/${child.name}`;
      const full = join(dir, child.name);
      if (child.isDir) {
        if (relative === "" && SKIP_AT_ROOT.has(path) && root === "/") continue;
        await walk(full, path);
        continue;
      }
      if (!child.isFile) continue;
      files++;
      const stats = await lstat(full);
      const info = { size: stats.size, mode: stats.mode & 0o7777 };
      const rule = capture.find((r) => r.matches(path, info));
      if (!rule || stats.size > rule.maxBytes) continue;
      if (rule.extract) {
        const stream = createReadStream(full);
        try {
          const result = await rule.extract(path, stream, stats.size);
          if (result !== undefined) index.extracted.set(path, result);
        } finally {
          stream.destroy();
        }
      } else {
        index.captured.set(path, await readFile(full));
      }
    }
  };
  await walk(root, "");
  return { index, files };
}
