/**
 * Image references, per the Docker reference grammar
 * (https://github.com/distribution/reference/blob/main/reference.go):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [domain '/'] remote-name
 *   domain    := host [':' port-number]   (has a '.' or ':', or is "localhost")
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ":" hex
 *
 * A name without a domain is on Docker Hub (`docker.io`), and a one-component Hub name is
 * under `library/`.
 */

import { UsageError } from "../errors.ts";

export interface ImageReference {
  /** Registry host (and port), e.g. `docker.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Repository path, e.g. `library/alpine`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export const DEFAULT_REGISTRY = "docker.io";
/** Where Docker Hub's API actually lives. */
export const DOCKER_HUB_API_HOST = "registry-1.docker.io";

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;

/** A reference that does not follow the grammar: a usage error (exit 2). */
export class InvalidReferenceError extends UsageError {
  constructor(reference: string, reason: string) {
    super(`invalid image reference "${reference}": ${reason}`);
    this.name = "InvalidReferenceError";
  }
}

export function parseReference(text: string): ImageReference {
  if (text.length === 0 || text.length > 4096) throw new InvalidReferenceError(text, "empty or too long");
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new InvalidReferenceError(text, `bad digest "${digest}"`);
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(":");
  if (lastColon > rest.lastIndexOf("/")) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) throw new InvalidReferenceError(text, `bad tag "${tag}"`);
  }
  const slash = rest.indexOf("/");
  const first = slash === -1 ? "" : rest.slice(0, slash);
  const isDomain = slash !== -1 && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = isDomain ? first : DEFAULT_REGISTRY;
  let repository = isDomain ? rest.slice(slash + 1) : rest;
  if (isDomain && !DOMAIN.test(registry)) throw new InvalidReferenceError(text, `bad registry "${registry}"`);
  if (registry === "index.docker.io" || registry === DOCKER_HUB_API_HOST) registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !repository.includes("/")) repository = `library/${repository}`;
  if (repository.length === 0 || repository.length > 255)
    throw new InvalidReferenceError(text, "bad repository name");
  for (const component of repository.split("/")) {
    if (!COMPONENT.test(component)) {
      throw new InvalidReferenceError(
        text,
        `"${component}" is not a valid repository component (lower case, digits, . _ -)`,
      );
    }
  }
  return { registry, repository, tag: tag ?? (digest ? undefined : "latest"), digest };
}

/** The canonical string: `registry/repository[:tag][@digest]`. */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}

/** The short form users type: Hub's `library/` and `docker.io/` dropped. */
export function familiarName(ref: ImageReference): string {
  let name = `${ref.registry}/${ref.repository}`;
  if (ref.registry === DEFAULT_REGISTRY) {
    name = ref.repository.startsWith("library/") ? ref.repository.slice("library/".length) : ref.repository;
  }
  return `${name}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}

/** The reference to ask a registry for: the digest when known, else the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? "latest";
}
