/**
 * Offline minification with terser (ES5 output, names mangled inside functions; global names such as the
 * helpers and `Modules` are kept). The minifier may move declarations (it assumes hoisting), so its output
 * goes through the hoisting pass again and is then compacted without further changes.
 * Also measures the minified size of each module.
 */
import * as fs from 'fs';
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import { minify } from 'terser';
import { hoistJs } from './hoist';

export interface ModuleSize {
  /** Module id, or "(helpers)" for the helper prelude. */
  id: string;
  bytes: number;
}

export interface Minified {
  code: string;
  /** Short module id → long one (empty when ids were kept). */
  ids: { [short: string]: string };
  sizes: ModuleSize[];
  total: number;
}

var FORMAT = { ecma: 5 as 5, ascii_only: true, comments: false as false, semicolons: true };

/**
 * Private members (STYLE.md: `_camel`) get short names across the whole file. Safe because no `_` name
 * crosses a boundary where the name matters: none is a key of JSON written to Storage or sent over MQTT,
 * a property of an Espruino built-in object, part of the API a sketch uses, or looked up with a string
 * (reviewed in docs/espruino-notes.md). `__x` names (`__proto__`, `__esModule`) are left alone, and so is
 * every name in KEEP_PROPS.
 */
export var KEEP_PROPS: string[] = [];
export var MANGLE_PROPS = { regex: /^_[A-Za-z0-9]/, reserved: KEEP_PROPS };

/** Options for size comparisons; the defaults are what the build uses. */
export interface MinifyOptions {
  /** Rename `_camel` members (MANGLE_PROPS); default true. */
  mangleProps?: boolean;
  /** Short module ids (shortenModuleIds); default true. */
  shortIds?: boolean;
  /** Module ids kept as they are when shortening. */
  keepIds?: string[];
}

/** Minifies an ES5 bundle made of helper functions and `Modules.addCached` calls. */
export async function minifyBundle(code: string, o?: MinifyOptions): Promise<Minified> {
  var mangleProps = !o || o.mangleProps !== false;
  var first = await minify(code, {
    ecma: 5,
    module: false,
    toplevel: false,
    compress: {
      ecma: 5,
      passes: 2,
      hoist_funs: false,
      hoist_vars: false,
      unsafe: false,
      keep_fargs: true,
      // Espruino reads `typeof x == "undefined"` fine, and terser must not assume a global is defined.
      typeofs: false,
    },
    mangle: mangleProps ? { toplevel: false, properties: MANGLE_PROPS } : { toplevel: false },
    format: FORMAT,
  });
  if (first.code === undefined) throw new Error('terser produced no output');
  var reordered = hoistJs(first.code, 'minified.js');
  var second = await minify(reordered, { ecma: 5, module: false, compress: false, mangle: false, format: FORMAT });
  if (second.code === undefined) throw new Error('terser produced no output');
  var out = fillEmptyModules(second.code);
  var ids: { [short: string]: string } = {};
  if (!o || o.shortIds !== false) {
    var sh = shortenModuleIds(out, o && o.keepIds);
    out = sh.code;
    ids = sh.ids;
  }
  return { code: out, sizes: measure(out, ids), total: Buffer.byteLength(out), ids: ids };
}

/** Prefix of the short module ids: no Espruino built-in module name starts with it. */
export var SHORT_ID_PREFIX = '~';

/**
 * Short module ids in the minified file: each module's id is a property name of Espruino's module cache
 * on the board, 3–4 blocks for `src/drivers/sim7600/sim7600-interface`; `~a`, `~b`, … take one. Every
 * `Modules.addCached("id", …)` and every `require("id")` of a module defined in the file is rewritten;
 * built-in modules (`require("Storage")`) and the ids in `keep` (the sketch's, which code outside the
 * file may require) are not. Returns the map short → long id (written into the
 * manifest as `moduleIds`, so the gate and the memory report still name modules by their paths).
 */
export function shortenModuleIds(code: string, keep?: string[]): { code: string; ids: { [short: string]: string } } {
  var ast: any = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  var defined: { [long: string]: string } = {};
  var ids: { [short: string]: string } = {};
  var n = 0;
  var sites: { start: number; end: number; long: string }[] = [];
  var letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  function shortName(k: number): string {
    return SHORT_ID_PREFIX + (k < letters.length ? letters[k] : letters[Math.floor(k / letters.length) - 1] + letters[k % letters.length]);
  }
  walk.full(ast, function (node: any) {
    if (node.type !== 'CallExpression' || !node.arguments.length) return;
    var a = node.arguments[0];
    if (a.type !== 'Literal' || typeof a.value !== 'string') return;
    var c = node.callee;
    var isAdd = c.type === 'MemberExpression' && !c.computed && c.object.type === 'Identifier' && c.object.name === 'Modules' && c.property.name === 'addCached';
    var isReq = c.type === 'Identifier' && c.name === 'require';
    if (!isAdd && !isReq) return;
    if (isAdd && defined[a.value] === undefined && (!keep || keep.indexOf(a.value) < 0)) {
      defined[a.value] = shortName(n++);
      ids[defined[a.value]] = a.value;
    }
    sites.push({ start: a.start, end: a.end, long: a.value });
  });
  sites.sort(function (x, y) { return y.start - x.start; });
  for (var st of sites) {
    var sh = defined[st.long];
    if (sh !== undefined) code = code.slice(0, st.start) + JSON.stringify(sh) + code.slice(st.end);
  }
  return { code: code, ids: ids };
}

/** The `moduleIds` map of the manifest beside a built file (short → long id), or {} when there is none. */
export function moduleIdsOf(file: string): { [short: string]: string } {
  var manifest = file.replace(/\.js$/, '.manifest.json');
  try {
    var m = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    return m && m.moduleIds ? m.moduleIds : {};
  } catch (e) {
    return {};
  }
}

/**
 * A module whose body the minifier emptied (all its exports pruned, its constants inlined) is written
 * `function(){0}`: Espruino 2v29 stores no code for an empty function, and `require` of a cached module
 * without code fails ("Unable to load module"). Importers may still require it for its side effects.
 */
export function fillEmptyModules(code: string): string {
  var ast: any = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  var at: number[] = [];
  function visit(e: any): void {
    if (e.type === 'SequenceExpression') { for (var x of e.expressions) visit(x); return; }
    if (addCachedId({ type: 'ExpressionStatement', expression: e }) === undefined) return;
    var fn = e.arguments[1];
    if (fn && fn.type === 'FunctionExpression' && fn.body.body.length === 0) at.push(fn.body.start + 1);
  }
  for (var node of ast.body) if (node.type === 'ExpressionStatement') visit(node.expression);
  for (var i = at.length - 1; i >= 0; i--) code = code.slice(0, at[i]) + '0' + code.slice(at[i]);
  return code;
}

/** Bytes of each top-level piece: the helpers together, then each `Modules.addCached` by id. */
export function measure(code: string, ids?: { [short: string]: string }): ModuleSize[] {
  var ast: any = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  var helpers = 0;
  var sizes: ModuleSize[] = [];
  for (var node of ast.body) {
    var bytes = Buffer.byteLength(code.slice(node.start, node.end));
    var id = addCachedId(node, ids);
    if (id !== undefined) {
      sizes.push({ id: id, bytes: bytes });
    } else if (node.type === 'ExpressionStatement' && node.expression.type === 'SequenceExpression') {
      // terser may join consecutive addCached calls with commas
      for (var ex of node.expression.expressions) {
        var eid = addCachedId({ type: 'ExpressionStatement', expression: ex }, ids);
        var eb = Buffer.byteLength(code.slice(ex.start, ex.end)) + 1;
        if (eid !== undefined) sizes.push({ id: eid, bytes: eb });
        else helpers += eb;
      }
    } else {
      helpers += bytes;
    }
  }
  if (helpers) sizes.unshift({ id: '(helpers)', bytes: helpers });
  return sizes;
}

/**
 * The module id of a `Modules.addCached("id", function(){...})` statement, else undefined; a short id is
 * given as its long one when `ids` (short → long, moduleIdsOf) has it.
 */
export function addCachedId(node: any, ids?: { [short: string]: string }): string | undefined {
  if (!node || node.type !== 'ExpressionStatement') return undefined;
  var e = node.expression;
  if (e.type !== 'CallExpression' || e.callee.type !== 'MemberExpression') return undefined;
  var c = e.callee;
  if (c.object.type !== 'Identifier' || c.object.name !== 'Modules' || c.property.name !== 'addCached') return undefined;
  var a = e.arguments[0];
  if (!a || a.type !== 'Literal' || typeof a.value !== 'string') return undefined;
  return ids && ids[a.value] !== undefined ? ids[a.value] : a.value;
}
