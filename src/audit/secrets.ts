/**
 * Files that look like secrets, in EVERY layer (a key deleted by a later layer is still in the
 * image: anyone who pulls it can extract the lower layer). Candidates are chosen by path; small
 * candidates are captured while the layers stream (a CaptureRule, so no second read) and their
 * content confirms the finding. The secret itself is never reported, only which rule matched.
 *
 * Patterns follow the usual secret scanners' rule sets (gitleaks, trufflehog, trivy's secret
 * rules): PEM private-key headers, AWS access keys, GitHub/GitLab/Slack/npm tokens, and the
 * credential files of common tools (.npmrc, .pypirc, .docker/config.json, .aws/credentials,
 * .git-credentials, .netrc, kubeconfig, service-account JSON).
 */
import type { CaptureRule } from "../image/layer-index.ts";
import type { ImageModel } from "./model.ts";
import type { StackResult } from "./stack.ts";

export type SecretSeverity = "high" | "medium" | "low";

interface SecretRule {
  id: string;
  title: string;
  /** Does the path name a candidate? (`name` is the basename.) */
  path: (name: string, path: string) => boolean;
  /** Content that confirms the finding; without it the rule reports on the path alone. */
  content?: RegExp;
  /** When content is required and absent (or the file was too large to capture). */
  unconfirmed: SecretSeverity | "skip";
  confirmed: SecretSeverity;
  advice: string;
}

const PRIVATE_KEY =
  /-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-/;
const TOKENS =
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b|\bglpat-[A-Za-z0-9_-]{20,}\b|\bxox[baprs]-[0-9A-Za-z-]{10,}\b|\bnpm_[A-Za-z0-9]{36}\b/;
const SECRET_ASSIGNMENT =
  /^\s*(?:export\s+)?[A-Za-z0-9_]*(?:SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)[A-Za-z0-9_]*\s*=\s*['"]?[^\s'"#]{4,}/im;

const KEY_EXTENSIONS = new Set([".pem", ".key", ".p8", ".ppk", ".der"]);
const KEYSTORE_EXTENSIONS = new Set([".p12", ".pfx", ".jks", ".keystore", ".kdbx"]);
const SSH_KEY_NAMES = /^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/;

const ext = (name: string) => {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
};

const ADVICE_BUILD_SECRET =
  "never COPY or write secrets into a layer: use a build secret (`RUN --mount=type=secret,id=…`) or pass it at run time; deleting it in a later layer does not remove it from the image";

export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: "private-key",
    title: "private key",
    path: (name) => SSH_KEY_NAMES.test(name) || KEY_EXTENSIONS.has(ext(name)),
    content: PRIVATE_KEY,
    unconfirmed: "skip",
    confirmed: "high",
    advice: ADVICE_BUILD_SECRET,
  },
  {
    id: "ssh-host-key",
    title: "SSH host private key baked into the image (every container shares it)",
    path: (name, path) => path.startsWith("/etc/ssh/") && /^ssh_host_.*_key$/.test(name),
    content: PRIVATE_KEY,
    unconfirmed: "medium",
    confirmed: "medium",
    advice:
      "generate host keys when the container starts (e.g. `ssh-keygen -A` in the entrypoint), not at build time",
  },
  {
    id: "keystore",
    title: "key store (PKCS#12, JKS, KeePass)",
    path: (name) => KEYSTORE_EXTENSIONS.has(ext(name)),
    unconfirmed: "medium",
    confirmed: "medium",
    advice: ADVICE_BUILD_SECRET,
  },
  {
    id: "dotenv",
    title: ".env file",
    path: (name) =>
      (name === ".env" || name.startsWith(".env.")) &&
      !/\.(example|sample|template|dist|defaults?)$/.test(name),
    content: SECRET_ASSIGNMENT,
    unconfirmed: "medium",
    confirmed: "high",
    advice: "add .env* to .dockerignore and pass the values at run time",
  },
  {
    id: "npmrc-token",
    title: "npm registry credentials (.npmrc)",
    path: (name) => name === ".npmrc",
    content: /(?:_authToken|_auth|_password)\s*=\s*\S+/,
    unconfirmed: "skip",
    confirmed: "high",
    advice: "mount .npmrc as a build secret (`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`)",
  },
  {
    id: "pypirc",
    title: "PyPI credentials (.pypirc)",
    path: (name) => name === ".pypirc",
    content: /^\s*password\s*[=:]\s*\S+/im,
    unconfirmed: "skip",
    confirmed: "high",
    advice: ADVICE_BUILD_SECRET,
  },
  {
    id: "docker-config",
    title: "registry credentials (.docker/config.json)",
    path: (name, path) => name === "config.json" && path.endsWith("/.docker/config.json"),
    content: /"(?:auth|identitytoken|registrytoken)"\s*:\s*"[^"]+"/,
    unconfirmed: "skip",
    confirmed: "high",
    advice: ADVICE_BUILD_SECRET,
  },
  {
    id: "aws-credentials",
    title: "AWS credentials file",
    path: (name, path) => (name === "credentials" || name === "config") && path.includes("/.aws/"),
    content: /aws_secret_access_key\s*=\s*\S+/i,
    unconfirmed: "skip",
    confirmed: "high",
    advice: ADVICE_BUILD_SECRET,
  },
  {
    id: "git-credentials",
    title: "git credentials (.git-credentials)",
    path: (name) => name === ".git-credentials",
    content: /:\/\/[^:/\s]+:[^@\s]+@/,
    unconfirmed: "medium",
    confirmed: "high",
    advice: ADVICE_BUILD_SECRET,
  },
  {
    id: "netrc",
    title: "netrc credentials",
    path: (name) => name === ".netrc" || name === "_netrc",
    content: /\bpassword\s+\S+/,
    unconfirmed: "skip",
    confirmed: "high",
    advice: ADVICE_BUILD_SECRET,
  },
  {
    id: "pgpass",
    title: "PostgreSQL password file (.pgpass)",
    path: (name) => name === ".pgpass",
    unconfirmed: "medium",
    confirmed: "medium",
    advice: ADVICE_BUILD_SECRET,
  },
  {
    id: "kubeconfig",
    title: "Kubernetes credentials (kubeconfig)",
    path: (name, path) => name === "config" && path.endsWith("/.kube/config"),
    content: /^\s*(?:token|client-key-data|password):\s*\S+/m,
    unconfirmed: "skip",
    confirmed: "high",
    advice: ADVICE_BUILD_SECRET,
  },
  {
    id: "cloud-service-account",
    title: "cloud service-account key (JSON)",
    path: (name) =>
      name === "application_default_credentials.json" ||
      /(?:credential|service[-_]?account|sa[-_]key|gcp[-_]key).*\.json$/i.test(name),
    content: /"private_key"\s*:\s*"-----BEGIN/,
    unconfirmed: "skip",
    confirmed: "high",
    advice: ADVICE_BUILD_SECRET,
  },
  {
    id: "htpasswd",
    title: "password hashes (.htpasswd)",
    path: (name) => name === ".htpasswd",
    unconfirmed: "low",
    confirmed: "low",
    advice: "mount password files at run time instead of baking them into the image",
  },
  {
    id: "terraform-state",
    title: "Terraform state (may hold secrets)",
    path: (name) => name === "terraform.tfstate" || name === "terraform.tfstate.backup",
    unconfirmed: "medium",
    confirmed: "medium",
    advice: "keep Terraform state out of the build context (.dockerignore)",
  },
];

/** Captured candidate files up to this size are checked by content. */
export const SECRET_CAPTURE_BYTES = 64 * 1024;

/**
 * Vendored test fixtures and documentation hold sample keys that are not secrets of the image
 * author (Python's test suite, `cryptography`'s vectors, packages' tests in node_modules).
 */
function ignoredLocation(path: string): boolean {
  return (
    path.startsWith("/usr/share/doc/") ||
    /\/(?:site|dist)-packages\/.*\/(?:tests?|testing|vectors)\//.test(path) ||
    /\/node_modules\/.*\/(?:tests?|__tests__|fixtures?|examples?)\//.test(path) ||
    /^\/usr\/(?:local\/)?lib\/python[\d.]*\/test\//.test(path) ||
    /\/(?:tests?|testdata|__fixtures__)\/.*\.(?:pem|key)$/.test(path)
  );
}

/** Names, prefixes and extensions some rule may accept: a cheap filter before the rules. */
const CANDIDATE_NAMES = new Set([
  ".env",
  ".npmrc",
  ".pypirc",
  "credentials",
  "config",
  ".git-credentials",
  ".netrc",
  "_netrc",
  ".pgpass",
  ".htpasswd",
  "terraform.tfstate",
  "terraform.tfstate.backup",
]);
const CANDIDATE_PREFIXES = [".env.", "id_", "ssh_host_"];
const CANDIDATE_EXTENSIONS = new Set([...KEY_EXTENSIONS, ...KEYSTORE_EXTENSIONS, ".json"]);

function mayBeCandidate(name: string): boolean {
  if (CANDIDATE_NAMES.has(name)) return true;
  for (const prefix of CANDIDATE_PREFIXES) if (name.startsWith(prefix)) return true;
  const dot = name.lastIndexOf(".");
  return dot > 0 && CANDIDATE_EXTENSIONS.has(name.slice(dot).toLowerCase());
}

const CANDIDATE_NAME_BYTES = [...CANDIDATE_NAMES].map((name) => Buffer.from(name));
const CANDIDATE_PREFIX_BYTES = CANDIDATE_PREFIXES.map((prefix) => Buffer.from(prefix));
const CANDIDATE_EXTENSION_BYTES = [...CANDIDATE_EXTENSIONS].map((extension) => Buffer.from(extension));
const LONGEST_EXTENSION = Math.max(...[...CANDIDATE_EXTENSIONS].map((e) => e.length));
/** Candidate extensions by length in bytes (a name's extension is compared with a few at most). */
const EXTENSIONS_BY_LENGTH: Uint8Array[][] = [];
for (const extension of CANDIDATE_EXTENSION_BYTES) {
  const sameLength = EXTENSIONS_BY_LENGTH[extension.length] ?? [];
  sameLength.push(extension);
  EXTENSIONS_BY_LENGTH[extension.length] = sameLength;
}
/** First bytes of the candidate names and prefixes: most names are rejected on their first byte. */
const STARTS_A_CANDIDATE = new Uint8Array(256);
for (const b of [...CANDIDATE_NAME_BYTES, ...CANDIDATE_PREFIX_BYTES]) STARTS_A_CANDIDATE[b[0]!] = 1;
/** Last bytes of the candidate extensions, either case: most other names are rejected on theirs. */
const ENDS_AN_EXTENSION = new Uint8Array(256);
for (const extension of CANDIDATE_EXTENSIONS) {
  const last = extension.charCodeAt(extension.length - 1);
  ENDS_AN_EXTENSION[last] = 1;
  ENDS_AN_EXTENSION[String.fromCharCode(last).toUpperCase().charCodeAt(0)] = 1;
}

/**
 * The last two characters of the candidate extensions, either case, as `second << 7 | last`
 * (both ASCII): most names that end like an extension are rejected here (".js" ends as ".jks").
 */
const ENDS_AN_EXTENSION_PAIR = new Uint8Array(1 << 14);
for (const extension of CANDIDATE_EXTENSIONS) {
  const tail = extension.slice(-2);
  for (const second of new Set([tail[0]!.toLowerCase(), tail[0]!.toUpperCase()]))
    for (const last of new Set([tail[1]!.toLowerCase(), tail[1]!.toUpperCase()]))
      ENDS_AN_EXTENSION_PAIR[(second.charCodeAt(0) << 7) | last.charCodeAt(0)] = 1;
}

function bytesEqual(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[start + i] !== expected[i]) return false;
  return true;
}

/** An extension compared as ASCII lower case (lower-case letters in `expected`). */
function extensionEqual(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) {
    const byte = bytes[start + i]!;
    if ((byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte) !== expected[i]) return false;
  }
  return true;
}

/**
 * mayBeCandidate on a name's UTF-8 bytes, without making the string: true whenever
 * mayBeCandidate could be (a non-ASCII extension always passes, as `toLowerCase` maps some
 * non-ASCII letters to ASCII ones). Nearly every file of an image fails here, so paths are
 * decoded only for the few that pass.
 */
export function mayBeCandidateBytes(bytes: Uint8Array, start: number, end: number): boolean {
  if (end > start && STARTS_A_CANDIDATE[bytes[start]!] === 1) {
    for (const name of CANDIDATE_NAME_BYTES) if (bytesEqual(bytes, start, end, name)) return true;
    for (const prefix of CANDIDATE_PREFIX_BYTES)
      if (end - start >= prefix.length && bytesEqual(bytes, start, start + prefix.length, prefix))
        return true;
  }
  const last = bytes[end - 1]!;
  if (last < 0x80 && ENDS_AN_EXTENSION[last] !== 1) return false;
  const secondLast = end - start >= 2 ? bytes[end - 2]! : 0x80;
  if (last < 0x80 && secondLast < 0x80 && ENDS_AN_EXTENSION_PAIR[(secondLast << 7) | last] !== 1)
    return false;
  // The last dot, if the extension it starts can be short enough (3 bytes a UTF-16 unit at most).
  const stop = Math.max(start, end - 3 * LONGEST_EXTENSION);
  let dot = end - 1;
  while (dot > stop && bytes[dot] !== 0x2e) dot--;
  if (dot <= start || bytes[dot] !== 0x2e) return false;
  for (let i = dot + 1; i < end; i++) if (bytes[i]! >= 0x80) return true;
  for (const extension of EXTENSIONS_BY_LENGTH[end - dot] ?? [])
    if (extensionEqual(bytes, dot, end, extension)) return true;
  return false;
}

/** The rule a path is a candidate for, if any (cheap: called for every file while streaming). */
export function secretCandidate(path: string): SecretRule | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (!mayBeCandidate(name)) return undefined;
  for (const rule of SECRET_RULES) {
    if (rule.path(name, path)) return ignoredLocation(path) ? undefined : rule;
  }
  return undefined;
}

/** Capture the small candidates whose content decides the finding. */
export const SECRET_CAPTURE: CaptureRule = {
  mayMatch: (bytes, start, end) => {
    let slash = end - 1;
    while (slash >= start && bytes[slash] !== 0x2f) slash--;
    return mayBeCandidateBytes(bytes, slash + 1, end);
  },
  matches: (path) => {
    const rule = secretCandidate(path);
    return rule !== undefined && rule.content !== undefined;
  },
  maxBytes: SECRET_CAPTURE_BYTES,
};

export interface SecretFinding {
  rule: string;
  title: string;
  severity: SecretSeverity;
  path: string;
  /** Layer that holds this copy. */
  layer: number;
  bytes: number;
  /** What confirmed it (never the secret itself). */
  evidence: string;
  /** Whether this copy is what a container sees; else a later layer hid it (still extractable). */
  visible: boolean;
  /** The layer that deleted or replaced this copy, when it is not visible. */
  hiddenBy?: number;
  advice: string;
}

export function findSecrets(model: ImageModel, stack: StackResult): SecretFinding[] {
  const { table, indexes, occurrences } = model;
  const findings: SecretFinding[] = [];
  /** Findings a later layer hid, by slot: the lost-copy list says which layer did it. */
  const hidden = new Map<number, SecretFinding[]>();
  for (let s = 1; s < table.size; s++) {
    const head = occurrences.head[s]!;
    if (head < 0) continue;
    const name = table.nameBytes(s);
    if (!mayBeCandidateBytes(name.buffer, name.start, name.end)) continue;
    const path = table.path(s);
    const rule = secretCandidate(path);
    if (!rule) continue;
    for (let id = head; id >= 0; id = occurrences.next[id]!) {
      const layer = occurrences.layer[id]!;
      const entry = occurrences.entry[id]!;
      const index = indexes[layer]!;
      if (index.kind(entry) !== "file") continue;
      const judged = judge(rule, index.size(entry), rule.content ? index.captured.get(path) : undefined);
      if (!judged) continue;
      const visible = stack.visibleLayer[s] === layer && stack.visibleEntry[s] === entry;
      const finding: SecretFinding = { ...judged, path, layer, visible, advice: rule.advice };
      findings.push(finding);
      if (!visible) {
        const list = hidden.get(s);
        if (list) list.push(finding);
        else hidden.set(s, [finding]);
      }
    }
  }
  if (hidden.size > 0) {
    for (let i = 0; i < stack.lost.count; i++) {
      const list = hidden.get(stack.lost.slot[i]!);
      const finding = list?.find((f) => f.layer === stack.lost.layer[i]);
      if (finding) finding.hiddenBy = stack.lost.by[i]!;
    }
  }
  const rank = { high: 0, medium: 1, low: 2 };
  findings.sort(
    (a, b) => rank[a.severity] - rank[b.severity] || a.path.localeCompare(b.path) || a.layer - b.layer,
  );
  return findings;
}

function judge(
  rule: SecretRule,
  size: number,
  content: Buffer | undefined,
): Pick<SecretFinding, "rule" | "title" | "severity" | "bytes" | "evidence"> | undefined {
  const base = { rule: rule.id, title: rule.title, bytes: size };
  const text = content?.toString("latin1");
  if (rule.content && text !== undefined && rule.content.test(text)) {
    const what =
      rule.id === "private-key" || rule.id === "ssh-host-key"
        ? "a private key header"
        : `the ${rule.id} pattern`;
    return { ...base, severity: rule.confirmed, evidence: `content matches ${what}` };
  }
  if (text !== undefined && TOKENS.test(text)) {
    return { ...base, severity: "high", evidence: "content holds an access token pattern" };
  }
  if (rule.unconfirmed === "skip") return undefined;
  const evidence =
    rule.content && size > SECRET_CAPTURE_BYTES
      ? `file name (larger than ${SECRET_CAPTURE_BYTES / 1024} KiB, content not checked)`
      : "file name";
  return { ...base, severity: rule.unconfirmed, evidence };
}
