/**
 * Validation of the JSON documents read from untrusted images and registries: OCI image
 * index / manifest / config (image-spec, https://github.com/opencontainers/image-spec), Docker
 * schema 2, and `docker save`'s manifest.json. Unknown fields pass through; wrong shapes become
 * one-line errors.
 *
 * A few combinators rather than zod: these documents are small and their shapes few, and
 * loading zod (about a hundred modules) was a tenth of `drydock inspect`'s time on a local
 * archive. Objects come out as zod's looseObject made them (declared keys first, in the order
 * declared, then the others; absent optional keys stay absent), so what callers see is unchanged.
 */
import { DrydockError } from "../errors.ts";

type Path = Array<string | number>;

/** Validates a value (at `path` in the document) and returns what callers get. */
export type Schema<T> = (value: unknown, path: Path) => T;

class SchemaIssue extends Error {
  readonly path: Path;
  constructor(path: Path, message: string) {
    super(message);
    this.path = path;
  }
}

const typeName = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value;

function expected(what: string, value: unknown, path: Path): never {
  throw new SchemaIssue(path, `expected ${what}, received ${typeName(value)}`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const string: Schema<string> = (value, path) =>
  typeof value === "string" ? value : expected("string", value, path);

const number: Schema<number> = (value, path) =>
  typeof value === "number" && Number.isFinite(value) ? value : expected("number", value, path);

const boolean: Schema<boolean> = (value, path) =>
  typeof value === "boolean" ? value : expected("boolean", value, path);

const unknownValue: Schema<unknown> = (value) => value;

function pattern(regex: RegExp, message: string): Schema<string> {
  return (value, path) => {
    if (!regex.test(string(value, path))) throw new SchemaIssue(path, message);
    return value as string;
  };
}

/** Marks a key that may be absent (an absent key stays absent in the output). */
interface Optional<T> extends Schema<T | undefined> {
  optional: true;
}

function optional<T>(schema: Schema<T>): Optional<T> {
  const check = ((value, path) => (value === undefined ? undefined : schema(value, path))) as Optional<T>;
  check.optional = true;
  return check;
}

/** Absent, null or valid; null is kept. */
function nullish<T>(schema: Schema<T>): Optional<T | null> {
  return optional((value, path) => (value === null ? null : schema(value, path)));
}

/** Absent, null or valid; null becomes undefined. */
function nullishAsUndefined<T>(schema: Schema<T>): Optional<T> {
  return optional<T | undefined>((value, path) =>
    value === null ? undefined : schema(value, path),
  ) as Optional<T>;
}

/** A default for an absent (undefined) value. */
function withDefault<T>(schema: Schema<T>, fallback: T): Schema<T> {
  return (value, path) => (value === undefined ? fallback : schema(value, path));
}

function array<T>(
  item: Schema<T>,
  limits: { min?: number; minMessage?: string; max?: number } = {},
): Schema<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return expected("array", value, path);
    if (limits.max !== undefined && value.length > limits.max)
      throw new SchemaIssue(path, `too big: expected at most ${limits.max} items`);
    if (limits.min !== undefined && value.length < limits.min)
      throw new SchemaIssue(path, limits.minMessage ?? `too small: expected at least ${limits.min} items`);
    return value.map((element, i) => item(element, [...path, i]));
  };
}

function record<T>(item: Schema<T>): Schema<Record<string, T>> {
  return (value, path) => {
    if (!isObject(value)) return expected("object", value, path);
    const out: Record<string, T> = {};
    for (const key of Object.keys(value)) {
      if (key === "__proto__") continue;
      out[key] = item(value[key], [...path, key]);
    }
    return out;
  };
}

type Shape = Record<string, Schema<unknown>>;
type ShapeOutput<S extends Shape> = {
  [K in keyof S as S[K] extends Optional<unknown> ? never : K]: ReturnType<S[K]>;
} & {
  [K in keyof S as S[K] extends Optional<unknown> ? K : never]?: ReturnType<S[K]>;
} & Record<string, unknown>;

/** An object with these keys checked; other keys are copied unchecked (zod's looseObject). */
function looseObject<S extends Shape>(shape: S): Schema<ShapeOutput<S>> {
  const declared = Object.keys(shape);
  const known = new Set(declared);
  return (value, path) => {
    if (!isObject(value)) return expected("object", value, path);
    const out: Record<string, unknown> = {};
    for (const key of declared) {
      const present = key in value;
      const result = shape[key]!(value[key], [...path, key]);
      if (result !== undefined || present) out[key] = result;
    }
    for (const key in value) {
      if (known.has(key) || key === "__proto__") continue;
      out[key] = value[key];
    }
    return out as ShapeOutput<S>;
  };
}

const digest = pattern(/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, "invalid digest");

const nonNegativeInteger: Schema<number> = (value, path) => {
  const n = number(value, path);
  if (!Number.isSafeInteger(n)) throw new SchemaIssue(path, "expected int, received number");
  if (n < 0) throw new SchemaIssue(path, "too small: expected number to be >=0");
  return n;
};

const stringRecord = record(string);

const platform = looseObject({
  os: string,
  architecture: string,
  variant: optional(string),
  "os.version": optional(string),
});

export const descriptorSchema = looseObject({
  mediaType: string,
  digest,
  size: nonNegativeInteger,
  annotations: optional(stringRecord),
  platform: optional(platform),
  urls: optional(array(string)),
});

export const indexSchema = looseObject({
  schemaVersion: number,
  mediaType: optional(string),
  manifests: array(descriptorSchema, { max: 10_000 }),
  annotations: optional(stringRecord),
});

export const manifestSchema = looseObject({
  schemaVersion: number,
  mediaType: optional(string),
  config: descriptorSchema,
  layers: array(descriptorSchema, { max: 10_000 }),
  annotations: optional(stringRecord),
});

const stringMap = record(unknownValue);

export const configSchema = looseObject({
  created: optional(string),
  author: optional(string),
  architecture: withDefault(string, ""),
  os: withDefault(string, ""),
  variant: optional(string),
  config: optional(
    looseObject({
      User: optional(string),
      ExposedPorts: nullishAsUndefined(stringMap),
      Env: nullishAsUndefined(array(string)),
      Entrypoint: nullish(array(string)),
      Cmd: nullish(array(string)),
      Volumes: nullishAsUndefined(stringMap),
      WorkingDir: optional(string),
      Labels: nullish(stringRecord),
      StopSignal: optional(string),
      Healthcheck: optional(
        looseObject({
          Test: optional(array(string)),
          Interval: optional(number),
          Timeout: optional(number),
          StartPeriod: optional(number),
          Retries: optional(number),
        }),
      ),
      Shell: optional(array(string)),
    }),
  ),
  rootfs: looseObject({ type: string, diff_ids: array(digest, { max: 10_000 }) }),
  history: optional(
    array(
      looseObject({
        created: optional(string),
        created_by: optional(string),
        author: optional(string),
        comment: optional(string),
        empty_layer: optional(boolean),
      }),
      { max: 100_000 },
    ),
  ),
});

export const dockerArchiveManifestSchema = array(
  looseObject({
    Config: string,
    RepoTags: nullish(array(string)),
    Layers: array(string, { max: 10_000 }),
  }),
  { min: 1, minMessage: "no image in manifest.json" },
);

/** Parses JSON text and validates it; any failure is a one-line DrydockError. */
export function parseDocument<T>(schema: Schema<T>, data: Buffer | string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(typeof data === "string" ? data : data.toString("utf8"));
  } catch (error) {
    throw new DrydockError("BAD_DOCUMENT", `${what} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return schema(value, []);
  } catch (error) {
    if (!(error instanceof SchemaIssue)) throw error;
    throw new DrydockError(
      "BAD_DOCUMENT",
      `${what} is malformed: ${error.path.join(".") || "(root)"}: ${error.message}`,
    );
  }
}
