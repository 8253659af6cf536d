/**
 * Every cataloger, in the order they run and report (OS databases first, so that language
 * packages installed by the OS package manager can be related to them).
 */
import type { Cataloger } from "../types.ts";
import { cataloger as apk } from "./apk.ts";
import { cataloger as dotnet } from "./dotnet.ts";
import { cataloger as dpkg } from "./dpkg.ts";
import { cataloger as go } from "./go.ts";
import { cataloger as java } from "./java.ts";
import { cataloger as node } from "./node.ts";
import { cataloger as php } from "./php.ts";
import { cataloger as python } from "./python.ts";
import { cataloger as rpm } from "./rpm.ts";
import { cataloger as ruby } from "./ruby.ts";
import { cataloger as rust } from "./rust.ts";

export const CATALOGERS: readonly Cataloger[] = [
  dpkg,
  apk,
  rpm,
  python,
  node,
  go,
  java,
  ruby,
  rust,
  dotnet,
  php,
];
