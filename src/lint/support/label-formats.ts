/**
 * Value checks for the label-schema types of hadolint's label rules (DL3052–DL3058): URL,
 * RFC 3339 date-time, SPDX expression, git hash, semver, e-mail.
 */
import deprecatedLicenseIds from "spdx-license-ids/deprecated.json" with { type: "json" };
import licenseIds from "spdx-license-ids/index.json" with { type: "json" };
import type { LabelType } from "../types.ts";

/**
 * Value checks for `label-schema` types (hadolint DL3052–DL3058). Each returns true for a
 * valid value; `text` accepts anything.
 */
export function labelValueValid(type: LabelType, value: string): boolean {
  switch (type) {
    case "url":
      return isUrl(value);
    case "rfc3339":
      return isRfc3339(value);
    case "spdx":
      return isSpdxExpression(value);
    case "hash":
      return isGitHash(value);
    case "semver":
      return isSemver(value);
    case "email":
      return isEmail(value);
    case "text":
      return true;
  }
}

const URI_CHAR = String.raw`(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})`;
const URI_RE = new RegExp(String.raw`^[A-Za-z][A-Za-z0-9+.\-]*:(?:${URI_CHAR}|[\[\]])*(?:#${URI_CHAR}*)?$`);

/** An absolute URI (RFC 3986 §4.3): `scheme:rest`, as Haskell's Network.URI.parseURI wants. */
export function isUrl(value: string): boolean {
  return URI_RE.test(value);
}

/** RFC 3339 §5.6 date-time: `2021-03-10T10:26:33.5+01:00`, with real dates and times. */
export function isRfc3339(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/.exec(
    value,
  );
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = m[7] === undefined || (Number(m[7]) < 24 && Number(m[8]) < 60);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour < 24 &&
    minute < 60 &&
    second <= 60 &&
    offsetOk
  );
}

/**
 * A git commit id. hadolint accepts exactly 7 or 40 lower-case hex digits; we accept any
 * abbreviation git prints (7 to 40 digits, `git rev-parse --short` grows past 7 in big
 * repositories) and 64-digit SHA-256 object names.
 */
export function isGitHash(value: string): boolean {
  return /^[0-9a-f]{7,40}$/.test(value) || /^[0-9a-f]{64}$/.test(value);
}

const SEMVER_RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Semantic Versioning 2.0.0 (https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string). */
export function isSemver(value: string): boolean {
  return SEMVER_RE.test(value);
}

const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const DOT_ATOM = `${ATEXT}+(?:\\.${ATEXT}+)*`;
const QUOTED = String.raw`"(?:[^"\\\r\n]|\\.)*"`;
const DOMAIN_LITERAL = String.raw`\[[^\[\]\\\s]*\]`;
const EMAIL_RE = new RegExp(`^(?:${DOT_ATOM}|${QUOTED})@(?:${DOT_ATOM}|${DOMAIN_LITERAL})$`);

/** An RFC 5322 addr-spec (`local@domain`), as hadolint's email-validate checks it. */
export function isEmail(value: string): boolean {
  return EMAIL_RE.test(value);
}

const KNOWN_LICENSES = new Set([...licenseIds, ...deprecatedLicenseIds].map((id) => id.toLowerCase()));

/**
 * An SPDX license expression (SPDX spec annex D): license ids (case-insensitive, `+` allowed),
 * `LicenseRef-`/`DocumentRef-` references, joined by AND/OR, `WITH <exception>`, parentheses.
 * hadolint accepts a single license id only, but OCI's `org.opencontainers.image.licenses`
 * is defined as an expression (`MIT OR Apache-2.0`).
 */
export function isSpdxExpression(value: string): boolean {
  const tokens = value.match(/\(|\)|[^\s()]+/g);
  if (!tokens || value.trim() === "") return false;
  let k = 0;
  const peek = () => tokens[k];
  const isLicense = (token: string | undefined) =>
    token !== undefined &&
    (KNOWN_LICENSES.has(token.replace(/\+$/, "").toLowerCase()) ||
      /^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(token));
  // compound := term ((AND|OR) term)* ; term := '(' compound ')' | license (WITH exception)?
  const term = (): boolean => {
    if (peek() === "(") {
      k++;
      if (!compound() || peek() !== ")") return false;
      k++;
      return true;
    }
    if (!isLicense(peek())) return false;
    k++;
    if (peek()?.toUpperCase() === "WITH") {
      k++;
      if (!/^[A-Za-z0-9.-]+$/.test(peek() ?? "")) return false;
      k++;
    }
    return true;
  };
  const compound = (): boolean => {
    if (!term()) return false;
    while (peek()?.toUpperCase() === "AND" || peek()?.toUpperCase() === "OR") {
      k++;
      if (!term()) return false;
    }
    return true;
  };
  return compound() && k === tokens.length;
}
