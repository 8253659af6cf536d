import { packageVersion } from "./package-root.ts";

/** drydock's version, from package.json. */
export const VERSION: string = packageVersion();
