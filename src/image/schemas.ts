/**
 * zod schemas for the JSON documents read from untrusted images and registries: OCI image
 * index / manifest / config (image-spec), Docker schema 2, and `docker save`'s manifest.json.
 * Unknown fields pass through; wrong shapes become one-line errors.
 */
import { z } from "zod";
import { DrydockError } from "../errors.ts";

const digest = z.string().regex(/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, "invalid digest");

const platform = z.looseObject({
  os: z.string(),
  architecture: z.string(),
  variant: z.string().optional(),
  "os.version": z.string().optional(),
});

export const descriptorSchema = z.looseObject({
  mediaType: z.string(),
  digest,
  size: z.number().int().nonnegative(),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: platform.optional(),
  urls: z.array(z.string()).optional(),
});

export const indexSchema = z.looseObject({
  schemaVersion: z.number(),
  mediaType: z.string().optional(),
  manifests: z.array(descriptorSchema).max(10_000),
  annotations: z.record(z.string(), z.string()).optional(),
});

export const manifestSchema = z.looseObject({
  schemaVersion: z.number(),
  mediaType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema).max(10_000),
  annotations: z.record(z.string(), z.string()).optional(),
});

const stringMap = z.record(z.string(), z.unknown());

export const configSchema = z.looseObject({
  created: z.string().optional(),
  author: z.string().optional(),
  architecture: z.string().default(""),
  os: z.string().default(""),
  variant: z.string().optional(),
  config: z
    .looseObject({
      User: z.string().optional(),
      ExposedPorts: stringMap.nullish().transform((v) => v ?? undefined),
      Env: z
        .array(z.string())
        .nullish()
        .transform((v) => v ?? undefined),
      Entrypoint: z.array(z.string()).nullish(),
      Cmd: z.array(z.string()).nullish(),
      Volumes: stringMap.nullish().transform((v) => v ?? undefined),
      WorkingDir: z.string().optional(),
      Labels: z.record(z.string(), z.string()).nullish(),
      StopSignal: z.string().optional(),
      Healthcheck: z
        .looseObject({
          Test: z.array(z.string()).optional(),
          Interval: z.number().optional(),
          Timeout: z.number().optional(),
          StartPeriod: z.number().optional(),
          Retries: z.number().optional(),
        })
        .optional(),
      Shell: z.array(z.string()).optional(),
    })
    .optional(),
  rootfs: z.looseObject({ type: z.string(), diff_ids: z.array(digest).max(10_000) }),
  history: z
    .array(
      z.looseObject({
        created: z.string().optional(),
        created_by: z.string().optional(),
        author: z.string().optional(),
        comment: z.string().optional(),
        empty_layer: z.boolean().optional(),
      }),
    )
    .max(100_000)
    .optional(),
});

export const dockerArchiveManifestSchema = z
  .array(
    z.looseObject({
      Config: z.string(),
      RepoTags: z.array(z.string()).nullish(),
      Layers: z.array(z.string()).max(10_000),
    }),
  )
  .min(1, "no image in manifest.json");

/** Parses JSON text and validates it; any failure is a one-line DrydockError. */
export function parseDocument<T>(schema: z.ZodType<T>, data: Buffer | string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(typeof data === "string" ? data : data.toString("utf8"));
  } catch (error) {
    throw new DrydockError("BAD_DOCUMENT", `${what} is not valid JSON: ${(error as Error).message}`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new DrydockError(
      "BAD_DOCUMENT",
      `${what} is malformed: ${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
  }
  return result.data;
}
