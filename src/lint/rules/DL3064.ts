import type { Instruction } from "../../dockerfile/parse.ts";
import type { Rule } from "../types.ts";
import { argNames, keyValues } from "./support/key-values.ts";

/** Well-known secret variable names (hadolint's list). */
const SENSITIVE_NAMES = new Set([
  "ACCESS_TOKEN",
  "APPLICATION_KEY",
  "APP_SECRET",
  "AUTH_TOKEN",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "BITTREX_API_KEY",
  "BITTREX_API_SECRET",
  "CF_PASSWORD",
  "CF_USERNAME",
  "CIRCLE_TOKEN",
  "CI_DEPLOY_PASSWORD",
  "CI_DEPLOY_USER",
  "DOCKERHUB_PASSWORD",
  "DOCKER_EMAIL",
  "DOCKER_PASSWORD",
  "DOCKER_USERNAME",
  "FACEBOOK_ACCESS_TOKEN",
  "FACEBOOK_APP_ID",
  "FACEBOOK_APP_SECRET",
  "FIREBASE_API_TOKEN",
  "FIREBASE_TOKEN",
  "FOSSA_API_KEY",
  "GH_ENTERPRISE_TOKEN",
  "GH_TOKEN",
  "GITHUB_ENTERPRISE_TOKEN",
  "GITHUB_TOKEN",
  "HEROKU_API_KEY",
  "HEROKU_API_USER",
  "NPM_AUTH_TOKEN",
  "NPM_TOKEN",
  "OKTA_AUTHN_GROUPID",
  "OKTA_CLIENT_ORGURL",
  "OKTA_CLIENT_TOKEN",
  "OKTA_OAUTH2_CLIENTID",
  "OKTA_OAUTH2_CLIENTSECRET",
  "OPENAI_API_KEY",
  "OS_PASSWORD",
  "OS_USERNAME",
  "POSTGRES_PASSWORD",
  "SLACK_TOKEN",
  "STRIPE_API_KEY",
  "STRIPE_DEVICE_NAME",
  "TRAVIS_OS_NAME",
  "TRAVIS_SECURE_ENV_VARS",
  "TRAVIS_SUDO",
  "VAULT_CLIENT_KEY",
  "VAULT_TOKEN",
]);

/** Parts of names that suggest a secret (compared lower-case). */
const SUSPICIOUS = ["api_key", "client_key", "password", "private", "secret", "token", "username"];

function sensitive(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_NAMES.has(name.toUpperCase()) || SUSPICIOUS.some((s) => lower.includes(s));
}

function declaredNames(instruction: Instruction): string[] {
  if (instruction.keyword === "ARG") return argNames(instruction);
  if (instruction.keyword === "ENV") return keyValues(instruction).map((p) => p.key);
  return [];
}

/**
 * ARG and ENV values stay in the image history and metadata; secrets belong in
 * `RUN --mount=type=secret` (https://docs.docker.com/build/building/secrets/; hadolint DL3064).
 * ONBUILD ARG/ENV included.
 */
export const rule: Rule = {
  code: "DL3064",
  severity: "warning",
  message: "Potentially sensitive data should not be used in the `ARG` or `ENV` commands",
  aliases: ["SecretsUsedInArgOrEnv"],
  check({ dockerfile }) {
    return dockerfile.instructions
      .filter((outer) => declaredNames(outer.onbuild ?? outer).some(sensitive))
      .map((outer) => ({ line: outer.line }));
  },
};
