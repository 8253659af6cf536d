/**
 * Debian control-file syntax (deb822, https://manpages.debian.org/deb822.5): stanzas separated
 * by blank lines, `Field: value`, continuation lines start with a space or tab. dpkg's `status`
 * and apk's `installed` (one letter fields, see apk.ts) are both read with it.
 */
export type Stanza = Map<string, string>;

export function parseStanzas(text: string): Stanza[] {
  const stanzas: Stanza[] = [];
  let current: Stanza = new Map();
  let last: string | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      if (current.size > 0) stanzas.push(current);
      current = new Map();
      last = undefined;
      continue;
    }
    if ((line[0] === " " || line[0] === "\t") && last !== undefined) {
      current.set(last, `${current.get(last)}\n${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    last = line.slice(0, colon);
    current.set(last, line.slice(colon + 1).trim());
  }
  if (current.size > 0) stanzas.push(current);
  return stanzas;
}
