/**
 * Image references (https://github.com/distribution/reference): `[registry/]path[:tag][@digest]`,
 * where the first component is a registry only when it contains `.` or `:` or is `localhost`.
 * One reading serves every rule: Docker Hub's spellings (`docker.io/library/debian`,
 * `index.docker.io/...`) fold to `debian`, so the data files' patterns and the registry checks
 * see one name per image.
 */
export interface ImageRef {
  /** Lower-cased registry host, null for Docker Hub. */
  registry: string | null;
  /** Lower-cased repository path without registry or Hub's `library/` (`debian`, `bitnami/redis`). */
  path: string;
  /** Last path component (`golang` for `mirror.gcr.io/library/golang`). */
  name: string;
  tag: string | null;
  digest: string | null;
  /** `registry/path`, or `path` on Docker Hub: what the data files' patterns match. */
  repository: string;
}

const HUB_HOSTS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

export function parseImageRef(reference: string): ImageRef {
  // A run sees few distinct references (one per FROM, mostly the same across files).
  let ref = parsedRefs.get(reference);
  if (ref === undefined) {
    ref = readImageRef(reference);
    if (parsedRefs.size >= MAX_PARSED_REFS) parsedRefs.clear();
    parsedRefs.set(reference, ref);
  }
  return ref;
}

/** Parsed references, shared by every caller (they never modify them). */
const parsedRefs = new Map<string, ImageRef>();
/** Bounds the memory of a run over very many distinct images. */
const MAX_PARSED_REFS = 4096;

function readImageRef(reference: string): ImageRef {
  const at = reference.indexOf("@");
  const digest = at === -1 ? null : reference.slice(at + 1);
  const withoutDigest = at === -1 ? reference : reference.slice(0, at);
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  const tag = colon > slash ? withoutDigest.slice(colon + 1) : null;
  const name = (colon > slash ? withoutDigest.slice(0, colon) : withoutDigest).toLowerCase();
  const parts = name.split("/");
  let registry: string | null = null;
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) registry = parts.shift()!;
  if (registry !== null && HUB_HOSTS.has(registry)) registry = null;
  // Mirrors of the official images keep their `library/` (or `docker/library/`) prefix.
  while (parts.length > 1 && (parts[0] === "library" || (parts[0] === "docker" && parts[1] === "library")))
    parts.shift();
  const path = parts.join("/");
  return {
    registry,
    path,
    name: parts[parts.length - 1] ?? "",
    tag,
    digest,
    repository: registry ? `${registry}/${path}` : path,
  };
}

/** How the reference reads in a message: as written, minus a digest. */
export function displayImage(ref: ImageRef): string {
  return ref.tag ? `${ref.repository}:${ref.tag}` : ref.repository;
}

export interface ImageName {
  /** Registry host, `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path; Docker Hub official images keep their short name (`alpine`). */
  repository: string;
  tag: string | null;
}

/** The reference with Docker Hub named explicitly (`docker.io`), as BuildKit normalises it. */
export function imageName(reference: string): ImageName {
  const ref = parseImageRef(reference);
  return { registry: ref.registry ?? "docker.io", repository: ref.path, tag: ref.tag };
}

// https://github.com/distribution/reference/blob/main/regexp.go
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);

/** True when BuildKit would accept the text as an image reference (ParseNormalizedNamed). */
export function isValidImageReference(text: string): boolean {
  if (/^[a-f0-9]{64}$/.test(text)) return false; // a bare image ID is refused
  const match = REFERENCE.exec(text);
  return match !== null && match[1]!.length <= 255;
}

/**
 * A pattern in the image data files: `repository` is a glob over `ImageRef.repository` where
 * `*` matches any run of characters (slashes included); `tag`/`tagNot` test the tag (`latest`
 * when none is written).
 */
export interface ImagePattern {
  repository: string;
  tag?: RegExp;
  tagNot?: RegExp;
  /** Repositories (globs) the pattern does not cover. */
  except?: readonly string[];
  /** Why the entry is there (source or caveat); shown nowhere, kept for maintainers. */
  note?: string;
}

export function globMatches(glob: string, text: string): boolean {
  if (!glob.includes("*")) return glob === text;
  let pattern = globPatterns.get(glob);
  if (!pattern) {
    const source = glob
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    pattern = new RegExp(`^${source}$`);
    globPatterns.set(glob, pattern);
  }
  return pattern.test(text);
}

/** Compiled globs: they come from the data files and the configuration, a handful each. */
const globPatterns = new Map<string, RegExp>();

export function imageMatches(ref: ImageRef, pattern: ImagePattern): boolean {
  if (!globMatches(pattern.repository, ref.repository)) return false;
  if (pattern.except?.some((glob) => globMatches(glob, ref.repository))) return false;
  const tag = ref.tag ?? "latest";
  if (pattern.tag && !pattern.tag.test(tag)) return false;
  if (pattern.tagNot?.test(tag)) return false;
  return true;
}

/**
 * True when some pattern matches. The lists are fixed data and a run sees few distinct images
 * (one per FROM, mostly the same ones across files), so answers are kept per list and per
 * repository and tag, the only parts of the reference a pattern reads.
 */
export function matchesAny(ref: ImageRef, patterns: readonly ImagePattern[]): boolean {
  let answers = matchAnswers.get(patterns);
  if (!answers) {
    answers = new Map();
    matchAnswers.set(patterns, answers);
  }
  const key = ref.tag === null ? `${ref.repository}\n` : `${ref.repository}\n:${ref.tag}`;
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = patterns.some((p) => imageMatches(ref, p));
    if (answers.size >= MAX_ANSWERS_PER_LIST) answers.clear();
    answers.set(key, answer);
  }
  return answer;
}

const matchAnswers = new WeakMap<readonly ImagePattern[], Map<string, boolean>>();
/** Bounds the memory of a run over very many distinct images. */
const MAX_ANSWERS_PER_LIST = 4096;
