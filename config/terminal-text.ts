/**
 * Characters a terminal acts on instead of printing: C0 controls (ESC starts colour, cursor and
 * title sequences; CR and BS overwrite what was printed), DEL, C1 controls (U+009B is a one-byte
 * CSI), the Unicode line and paragraph separators, and the bidirectional overrides and isolates
 * that reorder what is displayed ("Trojan Source", CVE-2021-42574, https://trojansource.codes/).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a config file (keys, values, the JSON parser's own words, the CONFIG path) made safe
 * to print: every control character becomes a visible `\uXXXX` escape, as JSON would write it.
 * Newlines are escaped too, so a key cannot start a fake line of the report.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
