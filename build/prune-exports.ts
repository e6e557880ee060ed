/**
 * Exports nobody reads, out of the firmware. Every `exports.NAME = value` is a property of the module's
 * exports object on the board: its name alone costs 2–3 blocks when longer than 4 characters, and the
 * firmware had some 450 of them, most read by no other module (constants the build inlines, helpers kept
 * for tests). Worse, an exported function that no module calls stays alive through its export, so the
 * minifier cannot drop it.
 *
 * This pass runs over the emitted modules, before they are wrapped. For each module it collects the names
 * other modules read (`m_1.NAME` where `m_1 = require("id")`, or `require("id").NAME`) and the names it reads
 * itself (`exports.NAME`). An `exports.NAME =` that nothing reads becomes `void` and blanks, leaving the value as
 * an expression statement (same length, so line and column of everything else, and the source maps, stay as
 * they are); the minifier then drops the statement, and the value too when nothing else uses it.
 *
 * A module keeps all its exports when its exports object may be read in a way this pass cannot follow: it
 * is an entry (the board, the sketch, the runtime's public API), some module passes the object on
 * (`__exportStar(require("id"), exports)`, `f(m_1)`, `m_1[k]`), or the module uses `exports` other than as
 * `exports.NAME` / `exports["NAME"]`.
 */
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';

export interface PrunableModule {
  id: string;
  code: string;
}

export interface PruneResult {
  /** Export names blanked out, by module id. */
  removed: { [id: string]: string[] };
}

/** `x.NAME` or `x["NAME"]`: NAME, else undefined. */
function memberName(m: any): string | undefined {
  if (m.type !== 'MemberExpression') return undefined;
  if (!m.computed && m.property.type === 'Identifier') return m.property.name;
  if (m.computed && m.property.type === 'Literal' && typeof m.property.value === 'string') return m.property.value;
  return undefined;
}

function isRequireCall(n: any): string | undefined {
  if (n && n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require' &&
    n.arguments.length === 1 && n.arguments[0].type === 'Literal' && typeof n.arguments[0].value === 'string') {
    return n.arguments[0].value;
  }
  return undefined;
}

/**
 * Values that `void value` evaluates exactly as `exports.X = value` did (binding at least as tightly as a
 * unary operator). Any other value (`a ? b : c`, `a || b`) keeps its export.
 */
var UNARY_SAFE: { [type: string]: boolean } = {
  Literal: true, Identifier: true, FunctionExpression: true, ObjectExpression: true, ArrayExpression: true,
  MemberExpression: true, CallExpression: true, NewExpression: true, UnaryExpression: true, ThisExpression: true,
};

interface Facts {
  ast: any;
  /** Names of `exports.NAME = ...` targets, with the range of `exports.NAME =` (to blank). */
  defs: { name: string; start: number; end: number }[];
  /** This module reads its own exports in a way the pass cannot follow. */
  selfEscapes: boolean;
  /** Own export names read inside the module. */
  selfReads: string[];
}

/**
 * Prunes in place (module.code is rewritten). `keep` lists module ids whose exports all stay. Module ids
 * never required by a literal id (a computed `require(x)`) make every module keep everything.
 */
export function pruneExports(modules: PrunableModule[], keep: string[]): PruneResult {
  var used: { [id: string]: { [name: string]: true } } = {};
  var keepAll: { [id: string]: true } = {};
  for (var k of keep) keepAll[k] = true;
  var facts: Facts[] = [];
  var dynamicRequire = false;

  function markUse(id: string, name: string): void {
    (used[id] || (used[id] = {}))[name] = true;
  }

  for (var mod of modules) {
    var ast: any = acorn.parse(mod.code, { ecmaVersion: 5, sourceType: 'script' });
    var f: Facts = { ast: ast, defs: [], selfEscapes: false, selfReads: [] };
    facts.push(f);
    // require vars of this module: `m_1 = require("id")` (after the hoisting pass) or `var m_1 = ...`
    var reqVars: { [name: string]: string } = {};
    walk.fullAncestor(ast, function (n: any, _st: any, anc: any[]) {
      var rid = isRequireCall(n);
      if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require' && rid === undefined) dynamicRequire = true;
      if (rid === undefined) return;
      var parent = anc[anc.length - 2];
      if (parent && parent.type === 'AssignmentExpression' && parent.right === n && parent.left.type === 'Identifier') reqVars[parent.left.name] = rid;
      else if (parent && parent.type === 'VariableDeclarator' && parent.init === n) reqVars[parent.id.name] = rid;
      else if (parent && memberName(parent) !== undefined && parent.object === n) markUse(rid, memberName(parent) as string);
      else keepAll[rid] = true; // passed on whole: __exportStar(require("id"), exports), f(require("id"))
    });
    walk.fullAncestor(ast, function (n: any, _st: any, anc: any[]) {
      if (n.type !== 'Identifier') return;
      var parent = anc[anc.length - 2];
      // an identifier as a property name or a declaration is no use of the variable
      if (parent && parent.type === 'MemberExpression' && parent.property === n && !parent.computed) return;
      if (parent && parent.type === 'Property' && parent.key === n) return;
      if (parent && parent.type === 'VariableDeclarator' && parent.id === n) return;
      var name = memberName(parent);
      var asObject = parent && parent.type === 'MemberExpression' && parent.object === n && name !== undefined;
      if (n.name === 'exports') {
        if (!asObject) { f.selfEscapes = true; return; }
        var grand = anc[anc.length - 3];
        var isDef = grand && grand.type === 'AssignmentExpression' && grand.left === parent && grand.operator === '=' &&
          anc[anc.length - 4] && anc[anc.length - 4].type === 'ExpressionStatement';
        if (isDef && UNARY_SAFE[grand.right.type]) f.defs.push({ name: name as string, start: parent.start, end: grand.right.start });
        else f.selfReads.push(name as string);
        return;
      }
      var rid = reqVars[n.name];
      if (rid === undefined) return;
      if (parent && parent.type === 'AssignmentExpression' && parent.left === n) return; // the `m_1 = require(...)` itself
      if (asObject) markUse(rid, name as string);
      else keepAll[rid] = true;
    });
  }

  var removed: { [id: string]: string[] } = {};
  if (dynamicRequire) return { removed: removed };
  for (var i = 0; i < modules.length; i++) {
    var m = modules[i];
    var fm = facts[i];
    if (keepAll[m.id] || fm.selfEscapes) continue;
    var reads: { [name: string]: true } = {};
    for (var r of fm.selfReads) reads[r] = true;
    var u = used[m.id] || {};
    var code = m.code;
    var gone: string[] = [];
    // last first, so earlier offsets stay valid (blanking keeps lengths anyway)
    for (var j = fm.defs.length - 1; j >= 0; j--) {
      var d = fm.defs[j];
      if (u[d.name] || reads[d.name]) continue;
      code = code.slice(0, d.start) + ('void' + code.slice(d.start + 4, d.end).replace(/[^\n]/g, ' ')) + code.slice(d.end);
      gone.unshift(d.name);
    }
    if (gone.length) {
      m.code = code;
      removed[m.id] = gone;
    }
  }
  return { removed: removed };
}
