/**
 * A small XML well-formedness check for report tests: one root element, properly nested and
 * closed tags, quoted unique attributes, only known entity or character references, and no raw
 * `<` or `&` in text or attribute values. Returns the problems found (empty when well-formed).
 * Not a full parser: no DTDs, CDATA or comments (the reports emit none).
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, "");
  if (/<\?|<!/.test(body)) problems.push("unexpected processing instruction, comment or DTD");
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const stack: string[] = [];
  let roots = 0;
  let pos = 0;
  while (pos < body.length) {
    const next = body.indexOf("<", pos);
    const text = body.slice(pos, next === -1 ? body.length : next);
    checkReferences(text, problems);
    if (stack.length === 0 && text.trim() !== "") problems.push(`text outside the root: ${text.trim()}`);
    if (next === -1) break;
    tag.lastIndex = next;
    const match = tag.exec(body);
    if (!match) {
      problems.push(`malformed tag at ${next}: ${body.slice(next, next + 40)}`);
      break;
    }
    const [whole, closing, name, attributes, selfClosing] = match;
    if (closing) {
      if (attributes || selfClosing) problems.push(`bad closing tag ${whole}`);
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else {
      if (stack.length === 0) roots++;
      checkAttributes(attributes ?? "", problems);
      if (!selfClosing) stack.push(name!);
    }
    pos = next + whole.length;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(", ")}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

function checkAttributes(attributes: string, problems: string[]): void {
  const names = new Set<string>();
  for (const m of attributes.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (names.has(m[1]!)) problems.push(`duplicate attribute ${m[1]}`);
    names.add(m[1]!);
    checkReferences(m[2] ?? m[3] ?? "", problems);
  }
}

function checkReferences(text: string, problems: string[]): void {
  for (const m of text.matchAll(/&([^;\s]*);?/g)) {
    if (!/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1]!) || !m[0].endsWith(";")) {
      problems.push(`bad reference ${m[0]}`);
    }
  }
  if (text.includes("]]>")) problems.push("]]> in text");
}

/** Decodes the five predefined entities and character references (for round-trip checks). */
export function decodeXml(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number(ref.slice(1)));
    return named[ref] ?? `&${ref};`;
  });
}

/** Attribute values of every `<element …>` in document order. */
export function elementsNamed(xml: string, element: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of xml.matchAll(new RegExp(`<${element}((?:\\s+[\\w.-]+="[^"]*")*)\\s*/?>`, "g"))) {
    const attributes: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w.-]+)="([^"]*)"/g)) attributes[a[1]!] = decodeXml(a[2]!);
    out.push(attributes);
  }
  return out;
}
