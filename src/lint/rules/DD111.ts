import type { Instruction } from "../../dockerfile/parse.ts";
import { argDeclarations, envKeys } from "../buildkit/stages.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * BuildKit's SecretsUsedInArgOrEnv (https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/):
 * ARG and ENV values stay in the image metadata and history, so secrets belong in
 * `RUN --mount=type=secret`. BuildKit flags a key when one of its `_`-separated words is
 * apikey, auth, credential(s), key, password, pword, passwd, secret or token, unless a word
 * is public, file or version.
 *
 * hadolint's DL3064 (also aliased SecretsUsedInArgOrEnv) covers part of this with another
 * list (substrings like `password`, `token`, `secret`, plus known names). This rule reports
 * only the instructions BuildKit flags and DL3064 does not (`SSH_KEY`, `NPM_AUTH`,
 * `DB_PASSWD`, ...), so each instruction is reported once. Like BuildKit, it looks at ARG
 * and ENV inside stages (BuildKit does not check global ARGs).
 */
export const rule: Rule = {
  code: "DD111",
  severity: "warning",
  message: "Sensitive data should not be used in the ARG or ENV commands",
  aliases: ["SecretsUsedInArgOrEnv"],
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.stage < 0) continue;
      const keys = declaredKeys(instruction, dockerfile.escape);
      if (keys.length === 0 || keys.some(hadolintFlags)) continue;
      for (const key of keys.filter(buildkitFlags)) {
        hits.push({
          line: instruction.line,
          message: `Do not use ARG or ENV instructions for sensitive data (${instruction.keyword} "${key}")`,
        });
      }
    }
    return hits;
  },
};

const SECRET_WORD =
  /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const ALLOWED_WORD = /(?:_|^)(?:public|file|version)(?:_|$)/i;

function buildkitFlags(key: string): boolean {
  return SECRET_WORD.test(key) && !ALLOWED_WORD.test(key);
}

/** hadolint DL3064's test (src/Hadolint/Rule/DL3064.hs): known names and substrings. */
const HADOLINT_SENSITIVE_NAMES = new Set([
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
const HADOLINT_SUSPICIOUS = ["api_key", "client_key", "password", "private", "secret", "token", "username"];

function hadolintFlags(key: string): boolean {
  const lower = key.toLowerCase();
  return (
    HADOLINT_SENSITIVE_NAMES.has(key.toUpperCase()) || HADOLINT_SUSPICIOUS.some((s) => lower.includes(s))
  );
}

/** Keys an ARG or ENV sets. */
function declaredKeys(instruction: Instruction, escapeChar: "\\" | "`"): string[] {
  if (instruction.keyword === "ARG") return argDeclarations(instruction, escapeChar).map((a) => a.name);
  return instruction.keyword === "ENV" ? envKeys(instruction, escapeChar) : [];
}
