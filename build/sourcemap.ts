/**
 * Just enough of source maps (version 3) to turn a position in the debug bundle back into a .ts line:
 * VLQ decoding and lookup in an index map whose sections are TypeScript's per-module maps.
 */

var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One decoded segment: generated column, source index, original line and column (all 0-based). */
export type Segment = [number, number, number, number];

/** Decodes a `mappings` string into segments per generated line. */
export function decodeMappings(mappings: string): Segment[][] {
  var lines: Segment[][] = [];
  var line: Segment[] = [];
  var col = 0, src = 0, oline = 0, ocol = 0;
  var i = 0;
  var fields: number[] = [];
  function vlq(): number {
    var result = 0, shift = 0, c: number;
    do {
      c = B64.indexOf(mappings.charAt(i++));
      if (c < 0) throw new Error('bad source map character at ' + (i - 1));
      result += (c & 31) << shift;
      shift += 5;
    } while (c & 32);
    return result & 1 ? -(result >>> 1) : result >>> 1;
  }
  while (i <= mappings.length) {
    var ch = mappings.charAt(i);
    if (i === mappings.length || ch === ';') {
      lines.push(line);
      line = [];
      col = 0;
      i++;
      if (i > mappings.length) break;
      continue;
    }
    if (ch === ',') {
      i++;
      continue;
    }
    fields.length = 0;
    while (i < mappings.length && mappings.charAt(i) !== ',' && mappings.charAt(i) !== ';') fields.push(vlq());
    col += fields[0];
    if (fields.length >= 4) {
      src += fields[1];
      oline += fields[2];
      ocol += fields[3];
      line.push([col, src, oline, ocol]);
    }
  }
  return lines;
}

export interface OriginalPosition {
  source: string;
  /** 1-based. */
  line: number;
  /** 0-based. */
  column: number;
}

/** The original position of (line, column) (0-based) in a plain map. */
export function lookup(map: any, line: number, column: number): OriginalPosition | null {
  if (!map._decoded) Object.defineProperty(map, '_decoded', { value: decodeMappings(map.mappings || ''), enumerable: false });
  var lines: Segment[][] = map._decoded;
  // Take the last segment at or before the column; else the first on the line; else search earlier lines.
  for (var l = line; l >= 0 && l >= line - 3; l--) {
    var segs = lines[l];
    if (!segs || !segs.length) continue;
    var best: Segment | null = null;
    for (var s of segs) {
      if (l < line || s[0] <= column) best = s;
    }
    if (!best) best = segs[0];
    return { source: map.sources[best[1]], line: best[2] + 1, column: best[3] };
  }
  return null;
}

/** The original position of (line, column) (0-based) in an index map (`sections`) or a plain map. */
export function lookupIndexed(map: any, line: number, column: number): OriginalPosition | null {
  if (!map.sections) return lookup(map, line, column);
  var section: any = null;
  for (var s of map.sections) {
    if (s.offset.line <= line) section = s;
  }
  if (!section) return null;
  return lookup(section.map, line - section.offset.line, line === section.offset.line ? column - section.offset.column : column);
}
