#!/usr/bin/env node
// drydock's command-line entry: runs the built CLI from dist/ (npm install builds it).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    "drydock: not built yet: run `npm install` (or `npm run build`) in the drydock folder\n",
  );
  process.exit(2);
}
const { main } = await import(entry.href);
await main();
