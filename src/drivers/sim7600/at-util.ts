/**
 * Pure helpers for AT response lines: prefix tests, field splitting, signal conversion. String
 * operations only (Espruino's regular expressions are unreliable beyond a small subset).
 */

/** True when `s` begins with `p`. */
export function hasPrefix(s: string, p: string): boolean {
  return s.substr(0, p.length) === p;
}

/**
 * The comma-separated fields after `prefix` ("+CSQ: 20,99" → ["20", "99"]). Double quotes are removed
 * and commas inside them kept; surrounding spaces trimmed.
 */
export function atFields(line: string, prefix: string): string[] {
  var s = line.substr(prefix.length);
  var out: string[] = [];
  var cur = '';
  var q = false;
  for (var i = 0; i < s.length; i++) {
    var ch = s.charAt(i);
    if (ch === '"') q = !q;
    else if (ch === ',' && !q) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** Integer value of a decimal field; NaN when it is not one (an optional leading minus allowed). */
export function atInt(s: string | undefined): number {
  if (s === undefined || s.length === 0) return NaN;
  var i = s.charAt(0) === '-' ? 1 : 0;
  if (i === s.length) return NaN;
  for (var j = i; j < s.length; j++) {
    var c = s.charCodeAt(j);
    if (c < 48 || c > 57) return NaN;
  }
  return parseInt(s, 10);
}

/**
 * +CSQ rssi → dBm (3GPP TS 27.007): 0 → −113 or less, 1 → −111, 2..30 → 2·rssi − 113, 31 → −51 or more;
 * 99 (unknown) and anything else → undefined. TD-SCDMA's 100–199 → rssi − 216.
 */
export function csqToDbm(rssi: number): number | undefined {
  if (rssi >= 0 && rssi <= 31) return 2 * rssi - 113;
  if (rssi >= 100 && rssi <= 191) return rssi - 216;
  return undefined;
}

/** True for a line of printable ASCII only (0x20–0x7E). */
export function printable(s: string): boolean {
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return true;
}

/**
 * The driver's timings: `defaults` itself when nothing is overridden (one shared object, no copy per
 * instance on the board), else an object inheriting the defaults with only the given values as its own
 * (read by name, never enumerated). Never written to.
 */
export function withDefaults<T>(defaults: T, over?: Partial<T>): T {
  if (!over) return defaults;
  var t: any = Object.create(defaults as any);
  var ov: any = over;
  for (var k in ov) if (ov[k] !== undefined && k in (defaults as any)) t[k] = ov[k];
  return t;
}
