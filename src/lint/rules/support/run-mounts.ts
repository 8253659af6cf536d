import type { Instruction } from "../../../dockerfile/parse.ts";

/**
 * `RUN --mount=...` options (https://docs.docker.com/reference/dockerfile/#run---mount):
 * comma-separated `key=value` fields, `type` defaulting to `bind`, `target` also spelled
 * `dst`/`destination`, `from` naming a stage or an image.
 */
export interface RunMount {
  type: string;
  target: string | null;
  from: string | null;
}

export function runMounts(instruction: Instruction): RunMount[] {
  return instruction.flags
    .filter((f) => f.name === "mount" && f.value !== null)
    .map((f) => parseMount(f.value!));
}

function parseMount(spec: string): RunMount {
  const fields = new Map<string, string>();
  for (const field of splitFields(spec)) {
    const eq = field.indexOf("=");
    const key = (eq === -1 ? field : field.slice(0, eq)).trim().toLowerCase();
    fields.set(key, eq === -1 ? "" : unquote(field.slice(eq + 1).trim()));
  }
  return {
    type: (fields.get("type") ?? "bind").toLowerCase(),
    target: fields.get("target") ?? fields.get("dst") ?? fields.get("destination") ?? null,
    from: fields.get("from") ?? null,
  };
}

/** Comma-separated fields; BuildKit reads them as CSV, so a quoted field may hold commas. */
function splitFields(spec: string): string[] {
  const out: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const c of spec) {
    if (quote) {
      if (c === quote) quote = null;
      current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === ",") {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out.filter((f) => f.trim() !== "");
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** A cache or tmpfs mount whose target contains `fragment` (hadolint's hasCacheOrTmpfsMountWith). */
export function hasCacheOrTmpfsMountWith(instruction: Instruction, fragment: string): boolean {
  return runMounts(instruction).some(
    (m) => (m.type === "cache" || m.type === "tmpfs") && m.target !== null && m.target.includes(fragment),
  );
}
