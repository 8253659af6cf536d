/**
 * Byte sizes the way dive reads and prints them, through dustin/go-humanize:
 * `ParseBytes` ("20MB", "20 mb", "1.5GiB", "1,000 kB"; SI k/M/G = 1000ⁿ, Ki/Mi/Gi = 1024ⁿ, a
 * bare number is bytes) and `Bytes` ("45 MB", "4.5 kB", "9 B").
 */

const SI = 1000;
const IEC = 1024;
const SIZE_TABLE: Record<string, number> = { "": 1, b: 1 };
["k", "m", "g", "t", "p", "e"].forEach((prefix, i) => {
  const si = SI ** (i + 1);
  const iec = IEC ** (i + 1);
  SIZE_TABLE[prefix] = si;
  SIZE_TABLE[`${prefix}b`] = si;
  SIZE_TABLE[`${prefix}i`] = iec;
  SIZE_TABLE[`${prefix}ib`] = iec;
});

/** go-humanize ParseBytes; throws a plain Error with go-humanize's reason. */
export function parseBytes(text: string): number {
  let end = 0;
  while (end < text.length && /[\d.,]/.test(text[end]!)) end++;
  const number = text.slice(0, end).replaceAll(",", "");
  const value = Number(number);
  if (number === "" || !/^\d*\.?\d*$/.test(number) || Number.isNaN(value)) {
    throw new Error(`strconv.ParseFloat: parsing "${number}": invalid syntax`);
  }
  const unit = text.slice(end).trim().toLowerCase();
  const multiplier = SIZE_TABLE[unit];
  if (multiplier === undefined) throw new Error(`unhandled size name: ${unit}`);
  return Math.floor(value * multiplier);
}

/** go-humanize Bytes: SI units, one decimal below 10, rounded half to even like Go's %.0f. */
export function goHumanBytes(bytes: number): string {
  if (bytes < 10) return `${bytes} B`;
  const sizes = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
  const exponent = Math.floor(Math.log(bytes) / Math.log(SI));
  const value = Math.floor((bytes / SI ** exponent) * 10 + 0.5) / 10;
  const text = value < 10 ? value.toFixed(1) : roundHalfEven(value).toFixed(0);
  return `${text} ${sizes[exponent]}`;
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * `n.toLocaleString("en-US")` for whole numbers ("12,345"), without Intl: the first
 * toLocaleString call loads ICU's locale data, about 15 ms of a command's start.
 */
export function groupThousands(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString("en-US");
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}
