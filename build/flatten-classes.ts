/**
 * Class wrappers out of the firmware. TypeScript's ES5 output wraps every class in an IIFE:
 *
 *   var Dog = (function (_super) {              function Dog(n) { _super.call(this, n); }
 *     __extends(Dog, _super);                   __extends(Dog, animal_1.Animal);
 *     function Dog(n) { _super.call(this, n); } Dog.prototype.bark = function () {...};
 *     Dog.prototype.bark = function () {...};   ...with `_super` read as `animal_1.Animal`
 *     return Dog;
 *   }(animal_1.Animal));
 *
 * In Espruino every function keeps the scope chain it was defined in, and from two levels down it copies
 * that chain into a new array for each function (measured: about 3 blocks per method of a wrapped class,
 * some 2 000 blocks over the firmware). This `after` transformer, run before the hoisting pass, splices the
 * wrapper's body into the module scope (right side above), so each method is defined one level down and
 * refers to the module scope itself.
 *
 * A wrapper is flattened only when that changes nothing else: it sits at the top level of the module, its
 * body declares nothing but the class (a helper `var` of its own could collide with the module's names),
 * returns only at its end, and the base class is a plain name or a property chain (`m_1.Base`) that no
 * function in the class re-declares. `_super` is then replaced by the base expression, which names the
 * same module binding that `__extends` read. Any other wrapper is left as TypeScript wrote it.
 */
import * as ts from 'typescript';
import { nameKey } from './hoist';

function skipOuter(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isPartiallyEmittedExpression(e)) e = e.expression;
  return e;
}

function isGenerated(id: ts.Identifier): boolean {
  return !!((id as any).emitNode && (id as any).emitNode.autoGenerate);
}

/** `a` or `a.b.c` made of identifiers only: the root identifier, else undefined. */
function chainRoot(e: ts.Expression): ts.Identifier | undefined {
  while (ts.isPropertyAccessExpression(e)) e = e.expression;
  return ts.isIdentifier(e) ? e : undefined;
}

/** Keys (hoist.ts nameKey) of every name bound anywhere inside `node`: parameters, vars, functions. */
function boundNames(node: ts.Node, out: { [k: string]: true }): void {
  if ((ts.isParameter(node) || ts.isVariableDeclaration(node)) && ts.isIdentifier(node.name)) out[nameKey(node.name)] = true;
  if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name) out[nameKey(node.name)] = true;
  if (ts.isCatchClause(node) && node.variableDeclaration && ts.isIdentifier(node.variableDeclaration.name)) {
    out[nameKey(node.variableDeclaration.name)] = true;
  }
  ts.forEachChild(node, function (c) { boundNames(c, out); });
}

/** True when a statement list declares anything at its own level besides the function `name`. */
function declaresOther(stmts: ReadonlyArray<ts.Statement>, name: string): boolean {
  for (var s of stmts) {
    if (ts.isFunctionDeclaration(s)) {
      if (!s.name || ts.idText(s.name) !== name) return true;
    } else if (ts.isVariableStatement(s)) {
      return true;
    } else if (!ts.isExpressionStatement(s) && !ts.isReturnStatement(s)) {
      return true; // blocks, ifs, loops: keep it simple and leave such a wrapper alone
    }
  }
  return false;
}

/** True when a return statement appears anywhere but in nested functions. */
function hasReturn(stmts: ReadonlyArray<ts.Statement>): boolean {
  var found = false;
  function visit(n: ts.Node): void {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) found = true;
    else ts.forEachChild(n, visit);
  }
  for (var s of stmts) visit(s);
  return found;
}

/** The statements that replace `var X = (function (_super) {...}(Base));`, or undefined to keep it. */
export function flattenClassStatement(st: ts.Statement, context: ts.TransformationContext): ts.Statement[] | undefined {
  if (!ts.isVariableStatement(st) || st.declarationList.declarations.length !== 1) return undefined;
  if (st.declarationList.flags & ts.NodeFlags.BlockScoped) return undefined;
  var decl = st.declarationList.declarations[0];
  if (!ts.isIdentifier(decl.name) || !decl.initializer) return undefined;
  var call = skipOuter(decl.initializer);
  if (!ts.isCallExpression(call)) return undefined;
  var fn = skipOuter(call.expression);
  if (!ts.isFunctionExpression(fn) || fn.name || fn.parameters.length !== call.arguments.length || fn.parameters.length > 1) return undefined;
  var stmts = fn.body.statements;
  var last = stmts[stmts.length - 1];
  // TypeScript's names for the class (outer var, inner function, returned value) are separate nodes,
  // some generated: they are one name when their text is.
  var className = ts.idText(decl.name);
  var ret = last && ts.isReturnStatement(last) && last.expression ? skipOuter(last.expression) : undefined;
  if (!ret || !ts.isIdentifier(ret) || ts.idText(ret) !== className) return undefined;
  var body = stmts.slice(0, stmts.length - 1);
  if (hasReturn(body) || declaresOther(body, className)) return undefined;
  // The class function itself must be there: it replaces the outer `var`.
  if (!body.some(function (s) { return ts.isFunctionDeclaration(s) && !!s.name && ts.idText(s.name) === className; })) return undefined;
  if (fn.parameters.length === 0) return body.slice();

  var param = fn.parameters[0].name;
  var base = call.arguments[0];
  var root = chainRoot(base);
  if (!ts.isIdentifier(param) || !isGenerated(param) || !root) return undefined;
  var bound: { [k: string]: true } = {};
  for (var s of body) boundNames(s, bound);
  if (bound[nameKey(root)]) return undefined; // a function in the class re-declares the base's name
  // TypeScript writes each use of `_super` as a generated name of its own with the parameter's text; a
  // name of the source with the same text is not generated, and is left alone.
  var paramText = ts.idText(param);
  var visit = function (node: ts.Node): ts.Node {
    if (ts.isIdentifier(node) && isGenerated(node) && ts.idText(node) === paramText) return base;
    return ts.visitEachChild(node, visit, context);
  };
  return body.map(function (s) { return ts.visitNode(s, visit) as ts.Statement; });
}

/** The transformer factory (TypeScript `after` stage, before the hoisting pass). */
export function flattenClassesTransformer(context: ts.TransformationContext): ts.Transformer<ts.SourceFile> {
  return function (sf: ts.SourceFile): ts.SourceFile {
    var out: ts.Statement[] = [];
    var changed = false;
    for (var st of sf.statements) {
      var flat = flattenClassStatement(st, context);
      if (flat) {
        changed = true;
        for (var s of flat) out.push(s);
      } else {
        out.push(st);
      }
    }
    return changed ? context.factory.updateSourceFile(sf, out) : sf;
  };
}
