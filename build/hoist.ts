/**
 * The hoisting pass. Espruino executes while it parses: a function declaration is unknown above its line
 * and a `var` is unknown until its statement ran. This pass rewrites every scope (the file and each
 * function body) into the order that runs without hoisting:
 *
 *   "use strict";            directive prologue, unchanged
 *   var a, b, i, k;          every `var` name of the scope, declared once (no initialisers)
 *   function f() {...}       every function declaration of the scope, in source order
 *   ...the rest...           `var a = 1` became `a = 1`, `for (var i = 0;` became `for (i = 0;`,
 *                            `for (var k in o)` became `for (k in o)`; `var b;` alone disappeared
 *
 * Names that are parameters or function declarations of the same scope are not re-declared (a `var` of a
 * parameter name must not reset it). The same pass also fills array holes (`[a, , b]` → `[a, void 0, b]`):
 * Espruino mis-parses them inside a `switch` ("Got ',' expected EOF"), and TypeScript's generator code
 * has them. It runs as a TypeScript `after` transformer, on TypeScript's ES5 output,
 * so source maps stay right; `hoistJs` runs the same pass over plain ES5 text (the minifier's output).
 */
import * as ts from 'typescript';

interface Scope {
  /** Identifier nodes to declare, in order of first appearance. */
  vars: ts.Identifier[];
  /** Keys of the names already bound in this scope (parameters, functions, vars). */
  bound: { [key: string]: true };
  funcs: ts.FunctionDeclaration[];
}

/** A key that tells identifiers apart, including TypeScript's generated names (`_a`, `_this`, ...). */
export function nameKey(id: ts.Identifier): string {
  var auto = (id as any).emitNode && (id as any).emitNode.autoGenerate;
  if (auto) return '#' + auto.id;
  return '$' + ts.idText(id);
}

function bindingIdentifiers(name: ts.BindingName, out: ts.Identifier[]): void {
  if (ts.isIdentifier(name)) {
    out.push(name);
    return;
  }
  for (var el of name.elements) {
    if (!ts.isOmittedExpression(el)) bindingIdentifiers(el.name, out);
  }
}

function isPrologueDirective(s: ts.Statement): boolean {
  return ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression);
}

/** The transformer factory (TypeScript `after` stage, or `ts.transform`). */
export function hoistTransformer(context: ts.TransformationContext): ts.Transformer<ts.SourceFile> {
  var f = context.factory;
  var scope: Scope = { vars: [], bound: {}, funcs: [] };
  /** Empty statements this pass made in place of a removed `var`; dropped from statement lists. */
  var removed = new Set<ts.Node>();

  function markRemoved(like: ts.Node): ts.Statement {
    var e = ts.setTextRange(f.createEmptyStatement(), like);
    removed.add(e);
    return e;
  }

  function declare(id: ts.Identifier): void {
    var k = nameKey(id);
    if (scope.bound[k]) return;
    scope.bound[k] = true;
    scope.vars.push(id);
  }

  /** `var a = 1, b, c = 2` → the expression `a = 1, c = 2`, or undefined when nothing is assigned. */
  function declarationListToExpression(list: ts.VariableDeclarationList): ts.Expression | undefined {
    var exprs: ts.Expression[] = [];
    for (var d of list.declarations) {
      var ids: ts.Identifier[] = [];
      bindingIdentifiers(d.name, ids);
      for (var id of ids) declare(id);
      if (d.initializer) {
        if (!ts.isIdentifier(d.name)) throw new Error('hoist: destructuring declaration in ES5 output');
        var init = ts.visitNode(d.initializer, visitor) as ts.Expression;
        exprs.push(ts.setTextRange(f.createAssignment(d.name, init), d));
      }
    }
    if (exprs.length === 0) return undefined;
    var e = exprs[0];
    for (var i = 1; i < exprs.length; i++) e = f.createComma(e, exprs[i]);
    return e;
  }

  function isVarList(list: ts.Node | undefined): list is ts.VariableDeclarationList {
    return !!list && ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.BlockScoped) === 0;
  }

  function visitStatements(stmts: ReadonlyArray<ts.Statement>): ts.Statement[] {
    var out: ts.Statement[] = [];
    for (var s of stmts) {
      if (ts.isFunctionDeclaration(s)) {
        scope.funcs.push(visitFunction(s) as ts.FunctionDeclaration);
        continue;
      }
      var r = ts.visitNode(s, visitor) as ts.Statement | undefined;
      if (r && !removed.has(r)) out.push(r);
    }
    return out;
  }

  /** A function-like node with a block body becomes its own scope. */
  function visitFunction(node: ts.FunctionLikeDeclaration): ts.Node {
    var body = node.body;
    if (!body) return node;
    var outer = scope;
    scope = { vars: [], bound: { '$arguments': true }, funcs: [] };
    var params: ts.Identifier[] = [];
    for (var p of node.parameters) bindingIdentifiers(p.name, params);
    for (var id of params) scope.bound[nameKey(id)] = true;
    var newBody: ts.ConciseBody;
    try {
      if (ts.isBlock(body)) {
        newBody = f.updateBlock(body, assemble(body.statements));
      } else {
        newBody = ts.visitNode(body, visitor) as ts.Expression;
      }
    } finally {
      scope = outer;
    }
    var n: any = node;
    switch (node.kind) {
      case ts.SyntaxKind.FunctionDeclaration:
        return f.updateFunctionDeclaration(n, n.modifiers, n.asteriskToken, n.name, n.typeParameters, n.parameters, n.type, newBody as ts.Block);
      case ts.SyntaxKind.FunctionExpression:
        return f.updateFunctionExpression(n, n.modifiers, n.asteriskToken, n.name, n.typeParameters, n.parameters, n.type, newBody as ts.Block);
      case ts.SyntaxKind.ArrowFunction:
        return f.updateArrowFunction(n, n.modifiers, n.typeParameters, n.parameters, n.type, n.equalsGreaterThanToken, newBody);
      case ts.SyntaxKind.MethodDeclaration:
        return f.updateMethodDeclaration(n, n.modifiers, n.asteriskToken, n.name, n.questionToken, n.typeParameters, n.parameters, n.type, newBody as ts.Block);
      case ts.SyntaxKind.GetAccessor:
        return f.updateGetAccessorDeclaration(n, n.modifiers, n.name, n.parameters, n.type, newBody as ts.Block);
      case ts.SyntaxKind.SetAccessor:
        return f.updateSetAccessorDeclaration(n, n.modifiers, n.name, n.parameters, newBody as ts.Block);
      case ts.SyntaxKind.Constructor:
        return f.updateConstructorDeclaration(n, n.modifiers, n.parameters, newBody as ts.Block);
      default:
        throw new Error('hoist: unexpected function kind ' + ts.SyntaxKind[(node as ts.Node).kind]);
    }
  }

  /** Rewrites a scope's statement list: prologue, one `var` list, functions, the rest. */
  function assemble(stmts: ReadonlyArray<ts.Statement>): ts.Statement[] {
    var i = 0;
    var prologue: ts.Statement[] = [];
    while (i < stmts.length && isPrologueDirective(stmts[i])) prologue.push(stmts[i++]);
    // Function names are bound before the body runs; collect them first so `var f` does not re-declare.
    collectFunctionNames(stmts.slice(i));
    var rest = visitStatements(stmts.slice(i));
    var head: ts.Statement[] = prologue.slice();
    if (scope.vars.length) {
      var decls = scope.vars.map(function (id) { return f.createVariableDeclaration(id); });
      head.push(f.createVariableStatement(undefined, f.createVariableDeclarationList(decls, ts.NodeFlags.None)));
    }
    return head.concat(scope.funcs, rest);
  }

  /** Binds the names of function declarations anywhere in this scope's statements (not nested functions). */
  function collectFunctionNames(stmts: ReadonlyArray<ts.Node>): void {
    for (var s of stmts) {
      if (ts.isFunctionDeclaration(s)) {
        if (s.name) scope.bound[nameKey(s.name)] = true;
      } else if (!ts.isFunctionLike(s) && !ts.isClassLike(s)) {
        collectFunctionNames(childrenOf(s));
      }
    }
  }

  function childrenOf(n: ts.Node): ts.Node[] {
    var out: ts.Node[] = [];
    ts.forEachChild(n, function (c) { out.push(c); });
    return out;
  }

  function visitor(node: ts.Node): ts.VisitResult<ts.Node | undefined> {
    if (ts.isFunctionLike(node) && (node as any).body) {
      if (ts.isFunctionDeclaration(node)) {
        // A declaration in a single-statement position (`if (x) function f(){}`): move it to the scope top.
        scope.funcs.push(visitFunction(node) as ts.FunctionDeclaration);
        return markRemoved(node);
      }
      return visitFunction(node as ts.FunctionLikeDeclaration);
    }
    if (ts.isVariableStatement(node) && isVarList(node.declarationList)) {
      var e = declarationListToExpression(node.declarationList);
      if (!e) return markRemoved(node);
      var st = ts.setTextRange(f.createExpressionStatement(e), node);
      ts.setOriginalNode(st, node);
      return st;
    }
    if (ts.isForStatement(node) && isVarList(node.initializer)) {
      var init = declarationListToExpression(node.initializer);
      return f.updateForStatement(node, init,
        ts.visitNode(node.condition, visitor) as ts.Expression | undefined,
        ts.visitNode(node.incrementor, visitor) as ts.Expression | undefined,
        ts.visitNode(node.statement, visitor) as ts.Statement);
    }
    if ((ts.isForInStatement(node) || ts.isForOfStatement(node)) && isVarList(node.initializer)) {
      var list = node.initializer;
      if (list.declarations.length !== 1 || !ts.isIdentifier(list.declarations[0].name)) {
        throw new Error('hoist: unexpected for-in/of declaration');
      }
      var name = list.declarations[0].name;
      declare(name);
      var expr = ts.visitNode(node.expression, visitor) as ts.Expression;
      var body = ts.visitNode(node.statement, visitor) as ts.Statement;
      return ts.isForInStatement(node)
        ? f.updateForInStatement(node, name, expr, body)
        : f.updateForOfStatement(node, node.awaitModifier, name, expr, body);
    }
    if (ts.isArrayLiteralExpression(node) && node.elements.some(ts.isOmittedExpression)) {
      // Espruino mis-parses an elision (`[3, 5, , 6]`, in TypeScript's generator code) inside a switch.
      return f.updateArrayLiteralExpression(node, node.elements.map(function (el) {
        return ts.isOmittedExpression(el) ? f.createVoidZero() : ts.visitNode(el, visitor) as ts.Expression;
      }));
    }
    if (ts.isBlock(node)) return f.updateBlock(node, visitStatements(node.statements));
    if (ts.isCaseClause(node)) {
      return f.updateCaseClause(node, ts.visitNode(node.expression, visitor) as ts.Expression, visitStatements(node.statements));
    }
    if (ts.isDefaultClause(node)) return f.updateDefaultClause(node, visitStatements(node.statements));
    return ts.visitEachChild(node, visitor, context);
  }

  return function (sf: ts.SourceFile): ts.SourceFile {
    scope = { vars: [], bound: {}, funcs: [] };
    removed = new Set<ts.Node>();
    return f.updateSourceFile(sf, assemble(sf.statements));
  };
}

/** Runs the hoisting pass over ES5 JavaScript text and prints the result (readable, not minified). */
export function hoistJs(code: string, fileName?: string): string {
  var sf = ts.createSourceFile(fileName || 'bundle.js', code, ts.ScriptTarget.ES5, true, ts.ScriptKind.JS);
  var parseErrors = (sf as any).parseDiagnostics as ts.Diagnostic[] | undefined;
  if (parseErrors && parseErrors.length) {
    throw new Error('hoist: cannot parse ' + (fileName || 'input') + ': ' + ts.flattenDiagnosticMessageText(parseErrors[0].messageText, '\n'));
  }
  var res = ts.transform(sf, [hoistTransformer]);
  try {
    var printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
    return printer.printFile(res.transformed[0]);
  } finally {
    res.dispose();
  }
}
