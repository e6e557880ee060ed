/**
 * Offline minification with terser (ES5 output, names mangled inside functions; global names such as the
 * helpers and `Modules` are kept). The minifier may move declarations (it assumes hoisting), so its output
 * goes through the hoisting pass again and is then compacted without further changes.
 * Also measures the minified size of each module.
 */
import * as acorn from 'acorn';
import { minify } from 'terser';
import { hoistJs } from './hoist';

export interface ModuleSize {
  /** Module id, or "(helpers)" for the helper prelude. */
  id: string;
  bytes: number;
}

export interface Minified {
  code: string;
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
  return { code: out, sizes: measure(out), total: Buffer.byteLength(out) };
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
export function measure(code: string): ModuleSize[] {
  var ast: any = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  var helpers = 0;
  var sizes: ModuleSize[] = [];
  for (var node of ast.body) {
    var bytes = Buffer.byteLength(code.slice(node.start, node.end));
    var id = addCachedId(node);
    if (id !== undefined) {
      sizes.push({ id: id, bytes: bytes });
    } else if (node.type === 'ExpressionStatement' && node.expression.type === 'SequenceExpression') {
      // terser may join consecutive addCached calls with commas
      for (var ex of node.expression.expressions) {
        var eid = addCachedId({ type: 'ExpressionStatement', expression: ex });
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

/** The module id of a `Modules.addCached("id", function(){...})` statement, else undefined. */
export function addCachedId(node: any): string | undefined {
  if (!node || node.type !== 'ExpressionStatement') return undefined;
  var e = node.expression;
  if (e.type !== 'CallExpression' || e.callee.type !== 'MemberExpression') return undefined;
  var c = e.callee;
  if (c.object.type !== 'Identifier' || c.object.name !== 'Modules' || c.property.name !== 'addCached') return undefined;
  var a = e.arguments[0];
  return a && a.type === 'Literal' && typeof a.value === 'string' ? a.value : undefined;
}
