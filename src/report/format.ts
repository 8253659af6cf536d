/** Human sizes as docker and dive print them: decimal units (1 kB = 1000 B). */
export function humanBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** Pads cells into aligned columns (right-aligns cells that look numeric). */
export function table(rows: string[][], header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
  }
  const numeric = (cell: string) => /^[\d.,]+( ?[kMGT]?B)?$/.test(cell);
  return all
    .map((row) =>
      row
        .map((cell, i) => {
          const last = i === row.length - 1;
          if (numeric(cell)) return cell.padStart(widths[i]!);
          return last ? cell : cell.padEnd(widths[i]!);
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Shortens a digest for tables: `sha256:0123456789ab`. */
export function shortDigest(digest: string): string {
  const [alg, hex] = digest.split(":");
  return hex ? `${alg}:${hex.slice(0, 12)}` : digest;
}

/** One line, at most `max` characters, for commands in tables. */
export function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
