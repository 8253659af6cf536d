/**
 * XML 1.0 escaping for the XML report formats (checkstyle, JUnit).
 * Spec: https://www.w3.org/TR/xml/#charsets and https://www.w3.org/TR/xml/#AVNormalize
 */

/** Characters XML 1.0 cannot carry at all, not even as references: replaced by U+FFFD. */
const NOT_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const TEXT_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Escapes character data (element content). */
export function escapeXmlText(value: string): string {
  return value.replace(NOT_XML_CHAR, "\uFFFD").replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]!);
}

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': "&quot;",
  "'": "&apos;",
  // Parsers normalise raw whitespace in attributes to spaces; references survive.
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** Escapes an attribute value (for double- or single-quoted attributes). */
export function escapeXmlAttribute(value: string): string {
  return value.replace(NOT_XML_CHAR, "\uFFFD").replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

/** ` name="value"` pairs, values escaped, in the given order. */
export function xmlAttributes(attributes: Record<string, string | number>): string {
  return Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join("");
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
