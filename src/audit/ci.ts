/**
 * The CI gate. dive's three rules with dive's names, defaults, value syntax and messages
 * (cmd/dive/cli/internal/command/ci/rules.go, options/ci_rules.go):
 *
 *   lowestEfficiency          0..1, default 0.9   FAIL when threshold > efficiency
 *   highestWastedBytes        bytes, default off  FAIL when wastedBytes > threshold
 *   highestUserWastedPercent  0..1, default 0.1   FAIL when userWastedPercent > threshold
 *
 * evaluated on dive's own metrics, plus drydock's two on the corrected numbers:
 *
 *   maxSize         bytes, default off  FAIL when the image's file bytes > threshold
 *   maxReclaimable  bytes, default off  FAIL when the reclaimable bytes > threshold
 *
 * A value of "", "disabled", "off" or "false" turns a rule off (SKIP). Bad values are usage
 * errors (exit 2); a failed rule makes the audit exit 1.
 */
import { UsageError } from "../errors.ts";
import { parseBytes } from "./bytes.ts";

export const CI_RULE_KEYS = [
  "lowestEfficiency",
  "highestWastedBytes",
  "highestUserWastedPercent",
  "maxSize",
  "maxReclaimable",
] as const;
export type CiRuleKey = (typeof CI_RULE_KEYS)[number];

/** Rule values as written (dive keeps them as strings). */
export type CiThresholds = Record<CiRuleKey, string>;

export const DEFAULT_CI_THRESHOLDS: CiThresholds = {
  lowestEfficiency: "0.9",
  highestWastedBytes: "disabled",
  highestUserWastedPercent: "0.1",
  maxSize: "disabled",
  maxReclaimable: "disabled",
};

export interface CiInput {
  efficiency: number;
  wastedBytes: number;
  userWastedPercent: number;
  sizeBytes: number;
  reclaimableBytes: number;
}

export type CiStatus = "PASS" | "FAIL" | "SKIP";

export interface CiRuleResult {
  rule: CiRuleKey;
  status: CiStatus;
  /** The value as configured. */
  threshold: string;
  /** dive's message: the failure, else the configured value, or "disabled". */
  message: string;
}

export interface CiEvaluation {
  pass: boolean;
  rules: CiRuleResult[];
  tally: { pass: number; fail: number; skip: number };
}

export function isRuleDisabled(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v === "" || v === "disabled" || v === "off" || v === "false";
}

type Check = (input: CiInput) => string | undefined;

function ratioRule(key: CiRuleKey, value: string, check: (threshold: number) => Check): Check {
  const threshold = Number(value.trim());
  if (value.trim() === "" || Number.isNaN(threshold)) {
    throw new UsageError(`invalid ${key} config value, given "${value}": not a number`);
  }
  if (threshold < 0 || threshold > 1) {
    throw new UsageError(
      `${key} config value is outside allowed range (0-1), given '${threshold.toFixed(6)}'`,
    );
  }
  return check(threshold);
}

function bytesRule(key: CiRuleKey, value: string, check: (threshold: number) => Check): Check {
  let threshold: number;
  try {
    threshold = parseBytes(value);
  } catch (error) {
    throw new UsageError(`invalid ${key} config value, given "${value}": ${(error as Error).message}`);
  }
  return check(threshold);
}

/** Go's `%2.2f`. */
const f2 = (value: number) => (Number.isNaN(value) ? "NaN" : value === Infinity ? "+Inf" : value.toFixed(2));

const BUILDERS: Record<CiRuleKey, (value: string) => Check> = {
  lowestEfficiency: (value) =>
    ratioRule(
      "lowestEfficiency",
      value,
      (t) => (input) =>
        t > input.efficiency
          ? `image efficiency is too low (efficiency=${f2(input.efficiency)} < threshold=${t})`
          : undefined,
    ),
  highestWastedBytes: (value) =>
    bytesRule(
      "highestWastedBytes",
      value,
      (t) => (input) =>
        input.wastedBytes > t
          ? `too many bytes wasted (wasted-bytes=${input.wastedBytes} > threshold=${t})`
          : undefined,
    ),
  highestUserWastedPercent: (value) =>
    ratioRule(
      "highestUserWastedPercent",
      value,
      (t) => (input) =>
        // NaN (no user bytes) never fails, +Inf always does: Go's float comparison.
        input.userWastedPercent > t
          ? `too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=${f2(input.userWastedPercent)} > threshold=${t})`
          : undefined,
    ),
  maxSize: (value) =>
    bytesRule(
      "maxSize",
      value,
      (t) => (input) =>
        input.sizeBytes > t ? `image is too large (size=${input.sizeBytes} > threshold=${t})` : undefined,
    ),
  maxReclaimable: (value) =>
    bytesRule(
      "maxReclaimable",
      value,
      (t) => (input) =>
        input.reclaimableBytes > t
          ? `too many reclaimable bytes (reclaimable-bytes=${input.reclaimableBytes} > threshold=${t})`
          : undefined,
    ),
};

export interface CiRules {
  thresholds: CiThresholds;
  checks: Array<{ rule: CiRuleKey; check?: Check }>;
}

/** Validates every threshold (all errors at once, as dive joins them). */
export function compileCiRules(thresholds: CiThresholds): CiRules {
  const errors: string[] = [];
  const checks = CI_RULE_KEYS.map((rule) => {
    const value = thresholds[rule];
    if (isRuleDisabled(value)) return { rule };
    try {
      return { rule, check: BUILDERS[rule](value) };
    } catch (error) {
      errors.push((error as Error).message);
      return { rule };
    }
  });
  if (errors.length > 0) throw new UsageError(errors.join("; "));
  return { thresholds, checks };
}

export function evaluateCi(rules: CiRules, input: CiInput): CiEvaluation {
  const results: CiRuleResult[] = rules.checks.map(({ rule, check }) => {
    const threshold = rules.thresholds[rule];
    if (!check) return { rule, status: "SKIP", threshold, message: "disabled" };
    const failure = check(input);
    return failure
      ? { rule, status: "FAIL", threshold, message: failure }
      : { rule, status: "PASS", threshold, message: threshold };
  });
  // dive prints the rules sorted by name.
  results.sort((a, b) => (a.rule < b.rule ? -1 : 1));
  const tally = {
    pass: results.filter((r) => r.status === "PASS").length,
    fail: results.filter((r) => r.status === "FAIL").length,
    skip: results.filter((r) => r.status === "SKIP").length,
  };
  return { pass: tally.fail === 0, rules: results, tally };
}
