/** commander argParser for repeatable options: `--ignore A --ignore B` -> ["A", "B"]. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
