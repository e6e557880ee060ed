/**
 * TypeScript → one Espruino file (unminified). Steps:
 *  1. compile the entries and everything they import with the TypeScript compiler API: ES5, CommonJS,
 *     `noEmitHelpers` (the helpers come from build/espruino-helpers.js), type-checked against the firmware
 *     tsconfig (Espruino types only);
 *  2. `after` transformers: rewrite each `require("./x")` to the module id of the file it resolves to
 *     (Espruino built-ins stay as they are), turn TypeScript's re-export getters into plain copies, then the
 *     hoisting pass (build/hoist.ts);
 *  3. order the modules dependencies first (an import cycle is an error naming the cycle) and wrap each in
 *     `Modules.addCached("<id>", function () { ... })`, which Espruino runs at once; the helpers the build
 *     uses go first, as global functions.
 * The result carries an index source map so that errors in the built file map back to the .ts line.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import * as acorn from 'acorn';
import { hoistTransformer } from './hoist';
import { inlineConstsTransformer } from './inline-consts';
import { flattenClassesTransformer } from './flatten-classes';
import { pruneExports } from './prune-exports';
import { isBuiltinModule, ESP32_BUILTIN_MODULES } from './builtins';

/** Module id of the sketch in a sketch build: a board reads the sketch's exports with `require("sketch")`. */
export var SKETCH_ID = 'sketch';

/** A build failure with a message meant for the user (no stack needed). */
export class BuildError extends Error {}

export interface BundleOptions {
  /** The repository root (holds package.json, tsconfig.firmware.json, src/). */
  root: string;
  /** Entry files (.ts), run in this order after their dependencies. */
  entries: string[];
  /**
   * The sketch entry, if any: its module id is "sketch" (SKETCH_ID), whatever its file name, so that a board
   * finds it with `require("sketch")`. Ids of other files outside `root` are relative to its folder,
   * prefixed "sketch/".
   */
  sketch?: string;
  /** Fail on type errors (default true). Syntax errors always fail. */
  typecheck?: boolean;
  /** Inline exported number/boolean constants (build/inline-consts.ts; default true). */
  inlineConsts?: boolean;
  /** Splice class wrapper IIFEs into the module scope (build/flatten-classes.ts; default true). */
  flattenClasses?: boolean;
  /** Drop exports no module reads (build/prune-exports.ts; default true). */
  pruneExports?: boolean;
}

export interface BundleModule {
  /** Module id: the path relative to the root without extension ("src/net/types"). */
  id: string;
  /** Absolute path of the .ts file. */
  file: string;
  /** ES5 code after the passes (no wrapper). */
  code: string;
  /** TypeScript's source map for `code` (sources rewritten to root-relative paths). */
  map: any;
  /** Ids of the modules it requires (ours only). */
  deps: string[];
  /** Espruino built-ins it requires. */
  builtins: string[];
  /** Helper names it uses. */
  helpers: string[];
}

export interface Bundle {
  /** Modules in load order (dependencies first). */
  modules: BundleModule[];
  /** Helper names included, in prelude order. */
  helpers: string[];
  /** The unminified file. */
  code: string;
  /** Index source map (version 3, sections) for `code`. */
  map: any;
  /** Where each module's code starts in `code` (0-based line) and how many lines it has. */
  layout: { id: string; line: number; lines: number }[];
}

interface HelperDef {
  name: string;
  text: string;
  uses: string[];
}

var HELPERS_FILE = path.join(__dirname, 'espruino-helpers.js');

/** The helper functions of build/espruino-helpers.js, by name, in file order. */
export function loadHelpers(): HelperDef[] {
  var src = fs.readFileSync(HELPERS_FILE, 'utf8');
  var ast: any = acorn.parse(src, { ecmaVersion: 5, sourceType: 'script' });
  var defs: HelperDef[] = [];
  for (var node of ast.body) {
    if (node.type !== 'FunctionDeclaration') throw new Error('espruino-helpers.js: only function declarations allowed at top level');
    defs.push({ name: node.id.name, text: src.slice(node.start, node.end), uses: [] });
  }
  var names = defs.map(function (d) { return d.name; });
  for (var d of defs) {
    var body = d.text.slice(d.text.indexOf('('));
    d.uses = names.filter(function (n) { return n !== d.name && new RegExp('\\b' + n + '\\b').test(body); });
  }
  return defs;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function readPackageName(root: string): string {
  var pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return pkg.name;
}

/** Compiler options: the firmware tsconfig's, plus what the build needs. */
function firmwareOptions(root: string): { options: ts.CompilerOptions; declarationFiles: string[] } {
  var cfgPath = path.join(root, 'tsconfig.firmware.json');
  var read = ts.readConfigFile(cfgPath, ts.sys.readFile);
  if (read.error) throw new BuildError(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  var parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, cfgPath);
  var o = parsed.options;
  o.target = ts.ScriptTarget.ES5;
  o.module = ts.ModuleKind.CommonJS;
  o.moduleResolution = ts.ModuleResolutionKind.Node10;
  o.noEmit = false;
  o.noEmitHelpers = true;
  o.importHelpers = false;
  o.downlevelIteration = false;
  o.esModuleInterop = false;
  o.sourceMap = true;
  o.inlineSourceMap = false;
  o.inlineSources = false;
  o.removeComments = true;
  o.declaration = false;
  o.composite = false;
  o.incremental = false;
  o.noEmitOnError = false;
  o.newLine = ts.NewLineKind.LineFeed;
  o.outDir = undefined;
  o.outFile = undefined;
  o.typeRoots = [path.join(root, 'node_modules', '@types')];
  var declarationFiles = parsed.fileNames.filter(function (f) { return /\.d\.ts$/.test(f); });
  return { options: o, declarationFiles: declarationFiles };
}

/** Formats diagnostics like tsc does (file:line:col - error TSxxxx: message). */
function formatDiagnostics(diags: ReadonlyArray<ts.Diagnostic>, root: string): string {
  return ts.formatDiagnostics(diags, {
    getCanonicalFileName: function (f) { return f; },
    getCurrentDirectory: function () { return root; },
    getNewLine: function () { return '\n'; },
  });
}

/** Compiles and bundles. Throws BuildError on type errors, unresolved imports, cycles or unknown helpers. */
export function bundle(o: BundleOptions): Bundle {
  var root = path.resolve(o.root);
  var sketchFile = o.sketch ? path.resolve(o.sketch) : undefined;
  var sketchDir = sketchFile ? path.dirname(sketchFile) : undefined;
  var packageName = readPackageName(root);
  var packageEntry = path.join(root, 'src', 'index.ts');
  var entries = o.entries.map(function (e) { return path.resolve(e); });
  for (var e of entries) {
    if (!fs.existsSync(e)) throw new BuildError('entry not found: ' + e);
  }
  var cfg = firmwareOptions(root);
  var options = cfg.options;
  var host = ts.createCompilerHost(options, true);
  var cache = ts.createModuleResolutionCache(root, function (f) { return f; }, options);

  /** Resolves an import the way the program does; `netswitch` is the runtime's src/index.ts. */
  function resolveFile(spec: string, containing: string): string | undefined {
    if (spec === packageName) return packageEntry;
    var r = ts.resolveModuleName(spec, containing, options, host, cache).resolvedModule;
    return r ? r.resolvedFileName : undefined;
  }

  host.resolveModuleNames = function (names, containing) {
    return names.map(function (n) {
      var file = resolveFile(n, containing);
      if (!file) return undefined;
      return {
        resolvedFileName: file,
        extension: /\.d\.ts$/.test(file) ? ts.Extension.Dts : /\.tsx$/.test(file) ? ts.Extension.Tsx : /\.js$/.test(file) ? ts.Extension.Js : ts.Extension.Ts,
        isExternalLibraryImport: false,
      } as ts.ResolvedModuleFull;
    });
  };

  var program = ts.createProgram({ rootNames: cfg.declarationFiles.concat(entries), options: options, host: host });
  var diags = ts.getPreEmitDiagnostics(program);
  var syntactic = diags.filter(function (d) { return d.category === ts.DiagnosticCategory.Error && (d.code < 2000 || d.code >= 18000 && d.code < 19000); });
  var errors = o.typecheck === false ? syntactic : diags.filter(function (d) { return d.category === ts.DiagnosticCategory.Error; });
  if (errors.length) throw new BuildError('TypeScript errors:\n' + formatDiagnostics(errors, root));

  function moduleId(file: string): string {
    if (file === sketchFile) return SKETCH_ID;
    var rel = path.relative(root, file);
    var inside = !rel.startsWith('..') && !path.isAbsolute(rel);
    var id = inside || !sketchDir ? toPosix(rel) : 'sketch/' + toPosix(path.relative(sketchDir, file));
    return id.replace(/\.(d\.ts|tsx?|js)$/, '');
  }

  var helperDefs = loadHelpers();
  var helperNames = helperDefs.map(function (h) { return h.name; });
  var byFile: { [file: string]: BundleModule } = {};
  var problems: string[] = [];

  function rewriteRequires(context: ts.TransformationContext): ts.Transformer<ts.SourceFile> {
    var f = context.factory;
    return function (sf: ts.SourceFile): ts.SourceFile {
      var file = path.resolve(sf.fileName);
      var mod: BundleModule = { id: moduleId(file), file: file, code: '', map: null, deps: [], builtins: [], helpers: [] };
      byFile[file] = mod;
      var used = ts.getEmitHelpers(sf) || [];
      for (var h of used) {
        var name = (h as any).importName || h.name;
        if (helperNames.indexOf(name) < 0) {
          problems.push(moduleId(file) + ': TypeScript needs the helper ' + name + ' (' + h.name + '), which has no Espruino-safe version in build/espruino-helpers.js');
        } else if (mod.helpers.indexOf(name) < 0) {
          mod.helpers.push(name);
        }
      }
      function where(node: ts.Node): string {
        var orig = ts.getOriginalNode(node);
        var osf = orig.getSourceFile ? orig.getSourceFile() : undefined;
        if (osf && orig.pos >= 0) {
          var lc = osf.getLineAndCharacterOfPosition(orig.getStart(osf));
          return toPosix(path.relative(root, osf.fileName)) + ':' + (lc.line + 1);
        }
        return toPosix(path.relative(root, file));
      }
      function visit(node: ts.Node): ts.Node {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ts.idText(node.expression) === 'require' && node.arguments.length === 1) {
          var arg = node.arguments[0];
          if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) {
            var spec = arg.text;
            if (spec === SKETCH_ID) return node;
            if (spec[0] !== '.' && spec[0] !== '/' && isBuiltinModule(spec)) {
              if (mod.builtins.indexOf(spec) < 0) mod.builtins.push(spec);
              return node;
            }
            var target = resolveFile(spec, file);
            if (!target) {
              problems.push(where(node) + ': cannot resolve require("' + spec + '") (not a file of ours and not an Espruino built-in module: ' + ESP32_BUILTIN_MODULES.join(', ') + ')');
              return node;
            }
            if (/\.d\.ts$/.test(target)) {
              problems.push(where(node) + ': require("' + spec + '") resolves to a declaration file (' + toPosix(path.relative(root, target)) + '), which has no code');
              return node;
            }
            var id = moduleId(target);
            if (mod.deps.indexOf(id) < 0) mod.deps.push(id);
            return f.updateCallExpression(node, node.expression, node.typeArguments, [ts.setTextRange(f.createStringLiteral(id), arg)]);
          }
          problems.push(where(node) + ': require() with a computed name cannot be bundled');
          return node;
        }
        var copy = reexportGetterToCopy(node, f);
        if (copy) return copy;
        return ts.visitEachChild(node, visit, context);
      }
      var out = ts.visitEachChild(sf, visit, context);
      return f.updateSourceFile(out, out.statements.filter(function (st) { return !isCommonJsBoilerplate(st); }));
    };
  }

  var outputs: { [file: string]: { js?: string; map?: string } } = {};
  var emitResult = program.emit(undefined, function (fileName, text, _bom, _onError, sources) {
    if (!sources || !sources.length) return;
    var src = path.resolve(sources[0].fileName);
    var slot = outputs[src] || (outputs[src] = {});
    if (/\.map$/.test(fileName)) slot.map = text;
    else if (/\.js$/.test(fileName)) slot.js = text;
  }, undefined, false, {
    before: o.inlineConsts === false ? [] : [inlineConstsTransformer(program.getTypeChecker())],
    after: o.flattenClasses === false ? [rewriteRequires, hoistTransformer] : [rewriteRequires, flattenClassesTransformer, hoistTransformer],
  });
  var emitErrors = emitResult.diagnostics.filter(function (d) { return d.category === ts.DiagnosticCategory.Error; });
  if (emitErrors.length) throw new BuildError('TypeScript emit errors:\n' + formatDiagnostics(emitErrors, root));

  for (var file in outputs) {
    var m = byFile[file];
    var out = outputs[file];
    if (!m || out.js === undefined) continue;
    m.code = asciiStrings(out.js.replace(/\n?\/\/# sourceMappingURL=.*\s*$/, '\n'));
    if (out.map) {
      m.map = JSON.parse(out.map);
      var relSrc = path.relative(root, file);
      m.map.sources = [relSrc.startsWith('..') ? toPosix(file) : toPosix(relSrc)];
      delete m.map.sourceRoot;
      delete m.map.file;
    }
    // Helpers written by hand in firmware code (rare) count as used too.
    for (var hn of helperNames) {
      if (m.helpers.indexOf(hn) < 0 && new RegExp('\\b' + hn + '\\b').test(m.code)) m.helpers.push(hn);
    }
  }
  if (problems.length) throw new BuildError(problems.join('\n'));

  var byId: { [id: string]: BundleModule } = {};
  for (var f2 in byFile) byId[byFile[f2].id] = byFile[f2];
  var ordered = orderModules(entries.map(moduleId), byId);
  // Entries and the sketch keep every export; the public API (src/index) is pruned like any module: a
  // sketch is built into the same file, so what it reads is seen.
  if (o.pruneExports !== false) pruneExports(ordered, entries.map(moduleId).concat([SKETCH_ID]));
  return assembleBundle(ordered, helperDefs);
}

/**
 * The text of a string literal (quotes included) in ASCII only: a character 0x80-0xFF becomes \\xNN, a
 * higher one \\uNNNN, and an escape \\u0080-\\u00FF becomes \\xNN. Espruino 2v29 turns a raw non-ASCII
 * character or a \\u00NN escape into a UTF-8 string (two bytes where one was meant); \\xNN gives one byte.
 */
export function asciiLiteral(raw: string): string {
  var out = '';
  for (var i = 0; i < raw.length; i++) {
    var c = raw.charCodeAt(i);
    if (c > 0x7f) {
      var h = c.toString(16);
      out += c <= 0xff ? '\\x' + h : '\\u' + ('000' + h).slice(-4);
    } else if (c === 92) {
      var esc = raw.substr(i, 6);
      if (/^\\u00[89a-fA-F][0-9a-fA-F]$/.test(esc)) {
        out += '\\x' + esc.substr(4, 2).toLowerCase();
        i += 5;
      } else {
        out += raw.substr(i, 2);
        i++;
      }
    } else {
      out += raw.charAt(i);
    }
  }
  return out;
}

/** `code` with every string literal made ASCII-only (asciiLiteral); code it cannot tokenize is left as it is. */
export function asciiStrings(code: string): string {
  if (!/[^\x00-\x7f]|\\u00[89a-fA-F]/.test(code)) return code;
  var parts: string[] = [];
  var last = 0;
  try {
    for (var t of acorn.tokenizer(code, { ecmaVersion: 5, allowReturnOutsideFunction: true })) {
      if (t.type.label !== 'string') continue;
      var raw = code.slice(t.start, t.end);
      var a = asciiLiteral(raw);
      if (a === raw) continue;
      parts.push(code.slice(last, t.start), a);
      last = t.end;
    }
  } catch (e) {
    return code;
  }
  parts.push(code.slice(last));
  return parts.join('');
}

/**
 * Statements of TypeScript's CommonJS output that cost memory on the board and do nothing there:
 * `"use strict"` (Espruino has no strict mode), `Object.defineProperty(exports, "__esModule", ...)` (only
 * read by interop helpers, which the build does not use) and `exports.a = exports.b = void 0` (the exports'
 * pre-declaration; each is assigned later in the module, and nothing can read a module before it ran).
 */
function isCommonJsBoilerplate(st: ts.Statement): boolean {
  if (!ts.isExpressionStatement(st)) return false;
  var e = st.expression;
  if (ts.isStringLiteral(e)) return e.text === 'use strict';
  if (ts.isCallExpression(e) && e.arguments.length === 3 && ts.isPropertyAccessExpression(e.expression) &&
    ts.isIdentifier(e.expression.expression) && ts.idText(e.expression.expression) === 'Object' &&
    ts.isIdentifier(e.arguments[0]) && ts.idText(e.arguments[0] as ts.Identifier) === 'exports' &&
    ts.isStringLiteral(e.arguments[1]) && (e.arguments[1] as ts.StringLiteral).text === '__esModule') {
    return true;
  }
  var n = 0;
  while (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && isExportsMember(e.left)) {
    e = e.right;
    n++;
  }
  return n > 0 && ts.isVoidExpression(e) && ts.isNumericLiteral(e.expression) && e.expression.text === '0';
}

function isExportsMember(e: ts.Expression): boolean {
  return (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && ts.isIdentifier(e.expression) &&
    ts.idText(e.expression) === 'exports';
}

/**
 * `Object.defineProperty(exports, "X", { enumerable: true, get: function () { return m_1.X; } })`, which
 * TypeScript writes for `export { X } from "./m"`, becomes `exports.X = m_1.X`: one property instead of a
 * closure per name. Safe because a module is complete before anyone requires it (no cycles).
 */
function reexportGetterToCopy(node: ts.Node, f: ts.NodeFactory): ts.Node | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length !== 3) return undefined;
  var callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || ts.idText(callee.expression) !== 'Object' || ts.idText(callee.name as ts.Identifier) !== 'defineProperty') return undefined;
  var target = node.arguments[0], key = node.arguments[1], desc = node.arguments[2];
  if (!ts.isIdentifier(target) || ts.idText(target) !== 'exports' || !ts.isStringLiteral(key) || !ts.isObjectLiteralExpression(desc)) return undefined;
  var getter: ts.Expression | undefined;
  for (var p of desc.properties) {
    if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name)) return undefined;
    var pn = ts.idText(p.name);
    if (pn === 'enumerable') continue;
    if (pn !== 'get' || !ts.isFunctionExpression(p.initializer)) return undefined;
    var body = p.initializer.body.statements;
    if (body.length !== 1 || !ts.isReturnStatement(body[0]) || !body[0].expression) return undefined;
    getter = body[0].expression;
  }
  if (!getter) return undefined;
  return ts.setTextRange(f.createAssignment(f.createElementAccessExpression(f.createIdentifier('exports'), f.createStringLiteral(key.text)), getter), node);
}

/** Dependencies first (depth-first, post-order from the entries in order). A cycle is an error. */
export function orderModules(entryIds: string[], byId: { [id: string]: { id: string; deps: string[] } }): any[] {
  var done: { [id: string]: boolean } = {};
  var stack: string[] = [];
  var out: any[] = [];
  function visit(id: string): void {
    if (done[id]) return;
    var at = stack.indexOf(id);
    if (at >= 0) {
      throw new BuildError('import cycle: ' + stack.slice(at).concat(id).join(' -> ') + '\nEspruino runs each module as it is added, so a module cannot require one that requires it back.');
    }
    var m = byId[id];
    if (!m) throw new BuildError('module ' + id + ' was not compiled');
    stack.push(id);
    for (var d of m.deps) visit(d);
    stack.pop();
    done[id] = true;
    out.push(m);
  }
  for (var e of entryIds) visit(e);
  return out;
}

function countLines(s: string): number {
  var n = 0;
  for (var i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function assembleBundle(modules: BundleModule[], helperDefs: HelperDef[]): Bundle {
  var want: { [name: string]: boolean } = {};
  var byName: { [name: string]: HelperDef } = {};
  for (var h of helperDefs) byName[h.name] = h;
  function need(name: string): void {
    if (want[name]) return;
    want[name] = true;
    for (var u of byName[name].uses) need(u);
  }
  for (var m of modules) for (var hn of m.helpers) need(hn);
  var helpers = helperDefs.filter(function (d) { return want[d.name]; });

  var parts: string[] = [];
  var line = 0;
  function add(text: string): void {
    parts.push(text);
    line += countLines(text);
  }
  add('/* netswitch firmware (debug build: not minified). Modules: ' + modules.length + '. */\n');
  for (var hd of helpers) add(hd.text + '\n');
  var layout: { id: string; line: number; lines: number }[] = [];
  var sections: any[] = [];
  for (var mod of modules) {
    add('Modules.addCached(' + JSON.stringify(mod.id) + ', function () {\n');
    var code = mod.code.replace(/\s*$/, '\n');
    layout.push({ id: mod.id, line: line, lines: countLines(code) });
    if (mod.map) sections.push({ offset: { line: line, column: 0 }, map: mod.map });
    add(code);
    add('});\n');
  }
  return {
    modules: modules,
    helpers: helpers.map(function (d) { return d.name; }),
    code: parts.join(''),
    map: { version: 3, sections: sections },
    layout: layout,
  };
}
