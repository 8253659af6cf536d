import { type Command, Option } from "@commander-js/extra-typings";
import { UsageError } from "../../errors.ts";
import type { CliIO } from "../io.ts";

export function registerRules(program: Command, io: CliIO, _setExit: (code: number) => void): void {
  program
    .command("rules")
    .description(
      "List the lint rules (code, default severity, fixable, BuildKit names), or explain one: a DL/DD code, a BuildKit check name or a ShellCheck SC code.",
    )
    .argument("[code]", "rule code (DL3008, DD001), BuildKit check name (JSONArgsRecommended) or SCxxxx")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json"] as const)
        .default("text" as const),
    )
    .addHelpText(
      "after",
      `
Examples:
  drydock rules                       every rule, one per line
  drydock rules DD001                 what DD001 checks, with its documentation
  drydock rules JSONArgsRecommended   the rules behind a BuildKit check
  drydock rules --format json         the catalogue as JSON`,
    )
    .action(async (code, opts) => {
      const [{ explainRule, listRules }, { renderRuleExplanation, renderRuleList }] = await Promise.all([
        import("../../lint/catalog.ts"),
        import("../../report/rules/text.ts"),
      ]);
      if (code === undefined) {
        const rules = listRules();
        io.stdout.write(opts.format === "json" ? toJson(rules) : renderRuleList(rules));
        return;
      }
      const explanation = explainRule(code);
      if (!explanation) throw new UsageError(`unknown rule '${code}'`, "run drydock rules for the list");
      io.stdout.write(opts.format === "json" ? toJson(explanation) : renderRuleExplanation(explanation));
    });
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
