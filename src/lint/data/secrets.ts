/**
 * Names of ARG and ENV keys that look like secrets, for DL3064 (hadolint's list) and DD111
 * (BuildKit's SecretsUsedInArgOrEnv words). ARG and ENV values stay in the image metadata
 * and history; secrets belong in `RUN --mount=type=secret`
 * (https://docs.docker.com/build/building/secrets/).
 */

/** Well-known secret variable names (hadolint src/Hadolint/Rule/DL3064.hs). */
export const HADOLINT_SENSITIVE_NAMES: ReadonlySet<string> = new Set([
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

/** Parts of names that suggest a secret, compared lower-case (hadolint DL3064). */
export const HADOLINT_SUSPICIOUS_PARTS: readonly string[] = [
  "api_key",
  "client_key",
  "password",
  "private",
  "secret",
  "token",
  "username",
];

/** hadolint DL3064's test: a known name, or a name containing a suspicious part. */
export function hadolintSensitive(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    HADOLINT_SENSITIVE_NAMES.has(name.toUpperCase()) ||
    HADOLINT_SUSPICIOUS_PARTS.some((s) => lower.includes(s))
  );
}

/**
 * BuildKit's test (https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/):
 * one of the key's `_`-separated words is a secret word, and none is an allowed word.
 */
const BUILDKIT_SECRET_WORD =
  /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const BUILDKIT_ALLOWED_WORD = /(?:_|^)(?:public|file|version)(?:_|$)/i;

export function buildkitSensitive(key: string): boolean {
  return BUILDKIT_SECRET_WORD.test(key) && !BUILDKIT_ALLOWED_WORD.test(key);
}
