/**
 * Inlines exported numeric and boolean constants: a reference to `export const IF_READY = 4` (in its own
 * module, or imported by another) becomes `4`. TypeScript's CommonJS output reads every exported constant
 * through the exports object (`types_1.IF_READY`, `exports.IF_READY`), which the minifier cannot shorten
 * and which Espruino keeps as text in every function that uses it; the literal is shorter and needs no
 * lookup. The `exports.X = 4` definitions stay (sketches and the console can still read them).
 *
 * Only `const` declarations (never reassigned, by the language) whose initialiser is a number literal,
 * optionally negated, or `true`/`false` are inlined. Runs as a TypeScript `before` transformer (it needs
 * the type checker to see through imports); type positions are left alone.
 */
import * as ts from 'typescript';

/** The literal value of a constant worth inlining, or undefined. */
function constValue(decl: ts.Declaration | undefined): number | boolean | undefined {
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
  if (!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return undefined;
  if (decl.getSourceFile().isDeclarationFile) return undefined;
  var stmt = decl.parent && decl.parent.parent;
  if (!stmt || !ts.isVariableStatement(stmt) || !ts.isSourceFile(stmt.parent)) return undefined;
  var e = decl.initializer;
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  var neg = false;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) {
    neg = true;
    e = e.operand;
  }
  if (!ts.isNumericLiteral(e)) return undefined;
  var v = Number(e.text);
  if (!isFinite(v)) return undefined;
  return neg ? -v : v;
}

function literal(f: ts.NodeFactory, v: number | boolean): ts.Expression {
  if (typeof v === 'boolean') return v ? f.createTrue() : f.createFalse();
  // (-1): safe as an operand of anything (`(-1).toString()`); the minifier drops parentheses it does not need.
  return v < 0 ? f.createParenthesizedExpression(f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(-v))) : f.createNumericLiteral(v);
}

/** The `before` transformer, for one program's checker. */
export function inlineConstsTransformer(checker: ts.TypeChecker): ts.TransformerFactory<ts.SourceFile> {
  function valueOf(node: ts.Node): number | boolean | undefined {
    var sym = checker.getSymbolAtLocation(node);
    if (!sym) return undefined;
    if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    var decl = sym.valueDeclaration;
    if (!decl) return undefined;
    // Exported ones only: terser already inlines the module's own constants.
    var stmt = decl.parent && decl.parent.parent;
    if (!stmt || !ts.isVariableStatement(stmt) || !(ts.getCombinedModifierFlags(stmt as any) & ts.ModifierFlags.Export)) return undefined;
    return constValue(decl);
  }

  return function (context: ts.TransformationContext): ts.Transformer<ts.SourceFile> {
    var f = context.factory;
    function visit(node: ts.Node): ts.Node {
      if (ts.isTypeNode(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isImportEqualsDeclaration(node)) return node;
      if (ts.isVariableDeclaration(node)) {
        // never the declared name itself
        return f.updateVariableDeclaration(node, node.name, node.exclamationToken, node.type, node.initializer && (ts.visitNode(node.initializer, visit) as ts.Expression));
      }
      if (ts.isShorthandPropertyAssignment(node)) {
        var sv = checker.getShorthandAssignmentValueSymbol(node);
        var sdecl = sv && (sv.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sv) : sv);
        var s = sdecl ? valueOfDecl(sdecl) : undefined;
        if (s !== undefined) return ts.setTextRange(f.createPropertyAssignment(node.name, ts.setTextRange(literal(f, s), node.name)), node);
        return node;
      }
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
        // `ns.X` with `import * as ns`
        var ns = checker.getSymbolAtLocation(node.expression);
        if (ns && ns.flags & ts.SymbolFlags.Alias) {
          var pv = isAssigned(node) ? undefined : valueOf(node.name);
          if (pv !== undefined) return ts.setTextRange(literal(f, pv), node);
        }
        return f.updatePropertyAccessExpression(node, ts.visitNode(node.expression, visit) as ts.Expression, node.name);
      }
      if (ts.isPropertyAccessExpression(node)) {
        return f.updatePropertyAccessExpression(node, ts.visitNode(node.expression, visit) as ts.Expression, node.name);
      }
      if (ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node) ||
        ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node) || ts.isEnumMember(node)) {
        return ts.visitEachChild(node, visitNotName(node), context);
      }
      if (ts.isIdentifier(node) && isExpressionIdentifier(node) && !isAssigned(node)) {
        var v = valueOf(node);
        if (v !== undefined) return ts.setTextRange(literal(f, v), node);
        return node;
      }
      return ts.visitEachChild(node, visit, context);
    }
    /** Children of a member declaration, except its name. */
    function visitNotName(owner: ts.Node): (n: ts.Node) => ts.Node {
      return function (n: ts.Node): ts.Node {
        return n === (owner as any).name ? n : visit(n);
      };
    }
    return function (sf: ts.SourceFile): ts.SourceFile {
      if (sf.isDeclarationFile) return sf;
      return ts.visitEachChild(sf, visit, context);
    };
  };

  function valueOfDecl(sym: ts.Symbol): number | boolean | undefined {
    var decl = sym.valueDeclaration;
    var stmt = decl && decl.parent && decl.parent.parent;
    if (!stmt || !ts.isVariableStatement(stmt) || !(ts.getCombinedModifierFlags(stmt as any) & ts.ModifierFlags.Export)) return undefined;
    return constValue(decl);
  }
}

/** An identifier that is read as a value (not a label, a declaration name, a parameter, ...). */
function isExpressionIdentifier(id: ts.Identifier): boolean {
  var p = id.parent;
  if (!p) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  if ((ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isClassDeclaration(p) || ts.isClassExpression(p) ||
    ts.isParameter(p) || ts.isBindingElement(p) || ts.isImportSpecifier(p) || ts.isExportSpecifier(p) ||
    ts.isNamespaceImport(p) || ts.isImportClause(p) || ts.isTypeParameterDeclaration(p)) && (p as any).name === id) return false;
  if (ts.isQualifiedName(p)) return false;
  return true;
}

/** True when the node is written to (assignment target, ++/--): never for a const, but be safe. */
function isAssigned(n: ts.Node): boolean {
  var p = n.parent;
  if (!p) return false;
  if (ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return false;
}
