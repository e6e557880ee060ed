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
 * is an entry (the board, the sketch), some module passes the object on (`f(m_1)`, `m_1[k]`), or the
 * module uses `exports` other than as `exports.NAME` / `exports["NAME"]`, or names `module` at all. `__exportStar(require("id"),
 * exports)` (TypeScript's `export * from`) is followed: a name read from the re-exporting module that it
 * does not define itself counts as read from "id".
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
  /** Exports given a short name, by module id: old name → new name. */
  renamed: { [id: string]: { [name: string]: string } };
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

/** Where a module's export is named: a property `NAME` of `exports.`, `m_1.` or `require("id").`. */
interface Site {
  /** The module whose export it is. */
  owner: string;
  name: string;
  start: number;
  end: number;
  computed: boolean;
}

interface Facts {
  /** `exports.NAME = ...` statements whose prefix may be blanked: NAME and the range of `exports.NAME =`. */
  defs: { name: string; start: number; end: number; site: Site }[];
  /** This module reads its own exports in a way the pass cannot follow. */
  selfEscapes: boolean;
  /** Own export names read inside the module. */
  selfReads: string[];
  /** Every export name written in this module's code, its own and other modules'. */
  sites: Site[];
  /** Modules re-exported whole: `__exportStar(require("id"), exports)`. */
  stars: string[];
}

/** `__exportStar(require("id"), exports)` as a statement of its own: the id, else undefined. */
function exportStarOf(call: any): string | undefined {
  if (!call || call.type !== 'CallExpression' || call.callee.type !== 'Identifier' || call.callee.name !== '__exportStar') return undefined;
  var a = call.arguments;
  if (a.length !== 2 || a[1].type !== 'Identifier' || a[1].name !== 'exports') return undefined;
  return isRequireCall(a[0]);
}

/** Short property names, in order: a..z, A..Z, then two letters (never `do`, `if` or `in`). */
function shortNames(): string[] {
  var letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  var out = letters.split('');
  for (var i = 0; i < letters.length; i++) {
    for (var j = 0; j < letters.length; j++) {
      var n = letters[i] + letters[j];
      if (n !== 'do' && n !== 'if' && n !== 'in') out.push(n);
    }
  }
  return out;
}
var SHORT = shortNames();

/** Names up to this length take one block on the board: not worth renaming. */
var SHORT_ENOUGH = 4;

/**
 * Prunes and renames in place (module.code is rewritten). `keep` lists module ids whose exports all stay
 * as they are. A computed `require(x)` anywhere makes the pass change nothing.
 *
 * The exports that survive in a module whose every use is known (not kept, not escaping, no computed
 * key) get names of one or two letters (`exports.W5500Interface` → `exports.a`, and `w5500_1.a` in each
 * importer), padded with blanks to the old length: 1–2 blocks less per export on the board.
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

  function site(owner: string, member: any): Site {
    return { owner: owner, name: memberName(member) as string, start: member.property.start, end: member.property.end, computed: member.computed };
  }

  for (var mod of modules) {
    var ast: any = acorn.parse(mod.code, { ecmaVersion: 5, sourceType: 'script' });
    var f: Facts = { defs: [], selfEscapes: false, selfReads: [], sites: [], stars: [] };
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
      else if (parent && memberName(parent) !== undefined && parent.object === n) {
        markUse(rid, memberName(parent) as string);
        f.sites.push(site(rid, parent));
      } else if (exportStarOf(parent) === rid && anc[anc.length - 3] && anc[anc.length - 3].type === 'ExpressionStatement') {
        f.stars.push(rid); // its names become this module's: followed below
      } else keepAll[rid] = true; // passed on whole: f(require("id")), x = [require("id")]
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
      if (n.name === 'module') { f.selfEscapes = true; return; } // module.exports = ... replaces the object
      if (n.name === 'exports') {
        if (!asObject) {
          if (!(exportStarOf(parent) !== undefined && parent.arguments[1] === n)) f.selfEscapes = true;
          return;
        }
        var s = site(mod.id, parent);
        f.sites.push(s);
        var grand = anc[anc.length - 3];
        var isDef = grand && grand.type === 'AssignmentExpression' && grand.left === parent && grand.operator === '=' &&
          anc[anc.length - 4] && anc[anc.length - 4].type === 'ExpressionStatement';
        if (isDef && UNARY_SAFE[grand.right.type]) f.defs.push({ name: name as string, start: parent.start, end: grand.right.start, site: s });
        else f.selfReads.push(name as string);
        return;
      }
      var rid = reqVars[n.name];
      if (rid === undefined) return;
      if (parent && parent.type === 'AssignmentExpression' && parent.left === n) return; // the `m_1 = require(...)` itself
      if (asObject) {
        markUse(rid, name as string);
        f.sites.push(site(rid, parent));
      } else keepAll[rid] = true;
    });
  }

  // A name read from a module that re-exports another whole, and not defined by it, is read from the
  // other module; neither renames (the copy is made by name at run time).
  var noRename: { [owner: string]: true } = {};
  // importers come after their dependencies: from the last, so a re-export of a re-export is followed
  for (var si = modules.length - 1; si >= 0; si--) {
    if (!facts[si].stars.length) continue;
    var own: { [n: string]: true } = {};
    for (var dd of facts[si].defs) own[dd.name] = true;
    for (var rd of facts[si].selfReads) own[rd] = true;
    var readHere = used[modules[si].id] || {};
    noRename[modules[si].id] = true;
    for (var star of facts[si].stars) {
      noRename[star] = true;
      if (keepAll[modules[si].id]) keepAll[star] = true;
      else for (var rn in readHere) if (!own[rn]) markUse(star, rn);
    }
  }
  var removed: { [id: string]: string[] } = {};
  var renamed: { [id: string]: { [name: string]: string } } = {};
  if (dynamicRequire) return { removed: removed, renamed: renamed };
  var open: { [id: string]: boolean } = {};
  for (var i = 0; i < modules.length; i++) open[modules[i].id] = !keepAll[modules[i].id] && !facts[i].selfEscapes;

  // edits per module: [start, end, text], applied last first
  var edits: [number, number, string][][] = modules.map(function () { return []; });
  var blanked: Site[] = [];
  for (i = 0; i < modules.length; i++) {
    var m = modules[i];
    var fm = facts[i];
    if (!open[m.id]) continue;
    var reads: { [name: string]: true } = {};
    for (var r of fm.selfReads) reads[r] = true;
    var u = used[m.id] || {};
    var gone: string[] = [];
    for (var d of fm.defs) {
      if (u[d.name] || reads[d.name]) continue;
      edits[i].push([d.start, d.end, 'void' + m.code.slice(d.start + 4, d.end).replace(/[^\n]/g, ' ')]);
      blanked.push(d.site);
      gone.push(d.name);
    }
    if (gone.length) removed[m.id] = gone;
  }

  // new names for what is left, per owner whose every site is a plain `.NAME`
  var names: { [owner: string]: { [name: string]: string } } = {};
  for (var fs1 of facts) for (var s1 of fs1.sites) if (s1.computed) noRename[s1.owner] = true;
  for (var fs2 of facts) {
    for (var s2 of fs2.sites) {
      if (!open[s2.owner] || noRename[s2.owner] || blanked.indexOf(s2) >= 0) continue;
      (names[s2.owner] || (names[s2.owner] = {}))[s2.name] = s2.name;
    }
  }
  for (var owner in names) {
    var all = Object.keys(names[owner]);
    var taken: { [n: string]: true } = {};
    for (var n1 of all) if (n1.length <= SHORT_ENOUGH) taken[n1] = true;
    var next = 0;
    var map: { [name: string]: string } = {};
    for (var n2 of all) {
      if (n2.length <= SHORT_ENOUGH) continue;
      while (taken[SHORT[next]]) next++;
      map[n2] = SHORT[next++];
    }
    if (Object.keys(map).length) renamed[owner] = map;
  }
  for (i = 0; i < modules.length; i++) {
    for (var s3 of facts[i].sites) {
      var to = renamed[s3.owner] && renamed[s3.owner][s3.name];
      if (to && blanked.indexOf(s3) < 0) edits[i].push([s3.start, s3.end, to + ' '.repeat(s3.end - s3.start - to.length)]);
    }
    var list = edits[i].sort(function (a, b) { return b[0] - a[0]; });
    var code = modules[i].code;
    for (var e of list) code = code.slice(0, e[0]) + e[2] + code.slice(e[1]);
    modules[i].code = code;
  }
  return { removed: removed, renamed: renamed };
}
