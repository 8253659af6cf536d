/**
 * `generateDockerfile`: turns a detection and its advice into a Dockerfile and .dockerignore.
 * One template per stack (./templates/); each supports the runtime images listed in
 * SUPPORTED_RUNTIMES. When the advice picks another one (a floating-tag or login-only image,
 * or a UBI image the template does not know), the first supported image from the advice's
 * preference order is used instead and the report says so.
 */
import { type CatalogImage, catalogImage, imageReference } from "../advise/data/catalog.ts";
import { builderForRuntime, type StackAdvice } from "../advise/engine.ts";
import type { Detection, StackId } from "../advise/types.ts";
import { dockerignoreFor } from "./dockerignore.ts";
import { type GenerateOptions, makePlan, type Plan } from "./plan.ts";
import { dotnetDockerfile } from "./templates/dotnet.ts";
import { goDockerfile } from "./templates/go.ts";
import { javaDockerfile } from "./templates/java.ts";
import { nodeDockerfile } from "./templates/node.ts";
import { phpDockerfile } from "./templates/php.ts";
import { pythonDockerfile } from "./templates/python.ts";
import { rubyDockerfile } from "./templates/ruby.ts";
import { rustDockerfile } from "./templates/rust.ts";

export type { GenerateOptions } from "./plan.ts";

/** Runtime images each template knows how to use, in fallback order. */
export const SUPPORTED_RUNTIMES: Record<StackId, string[]> = {
  python: ["python-slim", "distroless-python3"],
  node: ["node-alpine", "node-slim", "distroless-nodejs", "bun-slim"],
  go: [
    "distroless-static",
    "distroless-static-debug",
    "distroless-base",
    "distroless-cc",
    "chainguard-static",
    "chainguard-glibc-dynamic",
    "alpine",
    "debian-slim",
    "ubi9-micro",
    "ubi9-minimal",
  ],
  rust: ["distroless-cc", "chainguard-glibc-dynamic", "debian-slim", "ubi9-minimal"],
  java: ["temurin-jre-alpine", "temurin-jre", "distroless-java", "temurin-jre-ubi", "chainguard-jre"],
  dotnet: [
    "dotnet-aspnet-alpine",
    "dotnet-aspnet",
    "dotnet-aspnet-chiseled",
    "dotnet-aspnet-chiseled-extra",
    "dotnet-runtime",
    "dotnet-runtime-chiseled",
    "dotnet-runtime-deps-aot",
  ],
  ruby: ["ruby-slim"],
  php: ["php-apache"],
};

const TEMPLATES: Record<StackId, (plan: Plan, options: GenerateOptions) => string> = {
  python: pythonDockerfile,
  node: nodeDockerfile,
  go: goDockerfile,
  rust: rustDockerfile,
  java: javaDockerfile,
  dotnet: dotnetDockerfile,
  ruby: rubyDockerfile,
  php: phpDockerfile,
};

export interface GeneratedFiles {
  dockerfile: string;
  dockerignore: string;
  /** The images the Dockerfile uses. */
  images: { builder: string; runtime: string; debug: string };
  /** Assumptions and things left to the user. */
  notes: string[];
}

export function generateDockerfile(
  detection: Detection,
  advice: StackAdvice,
  options: GenerateOptions = {},
): GeneratedFiles {
  const notes: string[] = [];
  const runtime = supportedRuntime(detection, advice, notes);
  const builder =
    runtime.id === advice.runtime.id
      ? catalogImage(advice.builder.id)
      : builderForRuntime(detection, runtime, advice.constraints);
  const plan = makePlan(detection, advice, runtime, builder, notes);
  const dockerfile = TEMPLATES[detection.stack](plan, options);
  return {
    dockerfile,
    dockerignore: dockerignoreFor(detection),
    images: {
      builder: imageReference(plan.builder, plan.line),
      runtime: imageReference(plan.runtime, plan.line),
      debug: imageReference(plan.debug, plan.line),
    },
    notes,
  };
}

function supportedRuntime(detection: Detection, advice: StackAdvice, notes: string[]): CatalogImage {
  const supported = SUPPORTED_RUNTIMES[detection.stack];
  if (supported.includes(advice.runtime.id)) return catalogImage(advice.runtime.id);
  const rejected = new Set(advice.rejected.map((r) => r.id));
  const fallback =
    advice.alternatives
      .map((a) => a.id)
      .find((id) => supported.includes(id) && catalogImage(id).lines !== "latest-only") ??
    supported.find((id) => !rejected.has(id)) ??
    supported[0]!;
  notes.push(
    `the ${detection.language} template does not generate for ${advice.runtime.image} yet; the Dockerfile uses ${imageReference(catalogImage(fallback), advice.line)} instead`,
  );
  return catalogImage(fallback);
}
