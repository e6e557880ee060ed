/**
 * The compatibility rules of the gate: what Espruino 2v29 cannot run, or silently runs wrong
 * (shared/ESPRUINO.md). `checkCode` parses ES5 text and returns every violation with its position.
 * Each rule has an id; test/build/gate.test.ts has a snippet each rule must reject and one it must accept.
 */
import * as acorn from 'acorn';

export interface Violation {
  rule: string;
  message: string;
  /** Offset in the checked text. */
  pos: number;
  /** 1-based. */
  line: number;
  /** 0-based. */
  column: number;
}

/** Globals Espruino 2v29 does not have. A `typeof X` feature test is allowed. */
export var MISSING_GLOBALS = ['Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'Symbol', 'Proxy', 'Reflect',
  'Buffer', 'TextEncoder', 'TextDecoder', 'setImmediate', 'queueMicrotask'];

/** Static methods Espruino 2v29 lacks, by constructor. */
export var MISSING_STATICS: { [ctor: string]: string[] } = {
  Array: ['from', 'of'],
  Object: ['freeze', 'is', 'isFrozen', 'seal', 'fromEntries', 'getOwnPropertySymbols'],
  Promise: ['race', 'allSettled', 'any'],
  Date: ['UTC'],
  Uint8Array: ['from', 'of'],
  Int8Array: ['from', 'of'],
  Uint16Array: ['from', 'of'],
  Int16Array: ['from', 'of'],
  Uint32Array: ['from', 'of'],
  Int32Array: ['from', 'of'],
  Float32Array: ['from', 'of'],
  Float64Array: ['from', 'of'],
};

export var RULES = {
  syntax: 'not ES5 (Espruino cannot parse it)',
  global: 'a global Espruino 2v29 does not have',
  static: 'a static method Espruino 2v29 does not have',
  finally: 'Promise .finally() (missing in Espruino 2v29)',
  objectCreate: 'Object.create with a property map (throws in Espruino 2v29; use Object.create(proto))',
  prototypeCall: 'X.prototype.method.call/apply on a built-in (undefined in Espruino 2v29; write [].slice.call(...))',
  label: 'a labelled statement (Espruino 2v29 cannot parse labels)',
  regex: 'a regular expression Espruino 2v29 gets silently wrong',
  arrayHole: 'an array hole "[a, , b]" (Espruino 2v29 mis-parses it inside a switch; write void 0)',
  nonAscii: 'a non-ASCII character or a \\u0080-\\u00ff escape (Espruino 2v29 makes a UTF-8 string of it, not one byte per char; write \\xNN)',
  deleteCall: '"delete f().p" (Espruino 2v29 throws "Expecting function" and deletes the variable f; keep the object in a variable first)',
  removedProp: 'a property read on an element just taken out of an array (Espruino 2v29 throws ReferenceError when the property holds undefined and nothing else holds the element; keep it in a variable first)',
};

/**
 * What is wrong with the source text of a string literal (quotes included) for Espruino, or null: a raw
 * character above 0x7F, or an escape \u0080-\u00FF (both give a UTF-8 string in Espruino 2v29).
 */
export function stringLiteralProblem(raw: string): string | null {
  for (var i = 0; i < raw.length; i++) {
    var c = raw.charCodeAt(i);
    if (c > 0x7f) return 'character 0x' + c.toString(16) + ' in a string literal';
    if (c === 92) {
      var n = raw.charAt(i + 1);
      if (n === 'u' && /^00[89a-fA-F][0-9a-fA-F]/.test(raw.substr(i + 2, 4))) return '"\\u' + raw.substr(i + 2, 4) + '" in a string literal';
      i++;
    }
  }
  return null;
}

function lineCol(code: string, pos: number): { line: number; column: number } {
  var line = 1, last = -1;
  for (var i = 0; i < pos; i++) {
    if (code.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line: line, column: pos - last - 1 };
}

/**
 * What is wrong with a regular expression for Espruino, or null. Espruino handles literals, `.`, classes,
 * `\d \w \s` (and upper case), `\xNN`, `*`, `+`, `^`, `$`, capture groups, top-level `|`, flags g and i.
 */
export function regexProblem(pattern: string, flags: string): string | null {
  for (var f = 0; f < flags.length; f++) {
    if (flags[f] !== 'g' && flags[f] !== 'i') return 'flag "' + flags[f] + '" (only g and i work)';
  }
  var depth = 0;
  var inClass = false;
  var prevAtomGroupEnd = false;
  for (var i = 0; i < pattern.length; i++) {
    var c = pattern[i];
    var groupEnd = false;
    if (c === '\\') {
      var n = pattern[i + 1];
      if (!inClass && (n === 'b' || n === 'B')) return '"\\' + n + '" (Espruino reads \\b as backspace: no word boundaries)';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      if (pattern[i + 1] === '?') return '"(?" (no lookaround, non-capturing or named groups)';
      depth++;
    } else if (c === ')') {
      depth--;
      groupEnd = true;
    } else if (c === '|') {
      if (depth > 0) return '"|" inside a group (alternation works only at the top level)';
    } else if (c === '?') {
      return '"?" quantifier (also lazy "+?" / "*?")';
    } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i))) {
      return '"{n,m}" quantifier';
    } else if ((c === '*' || c === '+') && prevAtomGroupEnd) {
      return 'a quantified group "(...)' + c + '"';
    }
    prevAtomGroupEnd = groupEnd;
  }
  return null;
}

interface Scope {
  names: { [name: string]: true };
  parent: Scope | null;
}

function declared(scope: Scope | null, name: string): boolean {
  for (var s = scope; s; s = s.parent) if (s.names[name]) return true;
  return false;
}

/** `var` and function declarations of a function body (not entering nested functions). */
function collectDeclarations(node: any, names: { [name: string]: true }): void {
  if (!node || typeof node.type !== 'string') return;
  switch (node.type) {
    case 'VariableDeclaration':
      for (var d of node.declarations) {
        names[d.id.name] = true;
        collectDeclarations(d.init, names);
      }
      return;
    case 'FunctionDeclaration':
      names[node.id.name] = true;
      return;
    case 'FunctionExpression':
      return;
  }
  for (var k in node) {
    if (k === 'type' || k === 'start' || k === 'end' || k === 'loc') continue;
    var v = node[k];
    if (Array.isArray(v)) for (var x of v) collectDeclarations(x, names);
    else if (v && typeof v.type === 'string') collectDeclarations(v, names);
  }
}

function memberName(m: any): string | null {
  if (m.type !== 'MemberExpression') return null;
  if (!m.computed && m.property.type === 'Identifier') return m.property.name;
  if (m.computed && m.property.type === 'Literal' && typeof m.property.value === 'string') return m.property.value;
  return null;
}

/** `a.pop()`, `a.shift()`, `a.splice(...)[i]`: an element its array no longer holds. */
function takenOut(e: any): boolean {
  if (e.type === 'CallExpression') {
    var n = memberName(e.callee);
    return (n === 'pop' || n === 'shift') && e.arguments.length === 0;
  }
  return e.type === 'MemberExpression' && e.computed && e.object.type === 'CallExpression' && memberName(e.object.callee) === 'splice';
}

/** Checks ES5 source text. A parse error is one "syntax" violation. */
export function checkCode(code: string): Violation[] {
  var out: Violation[] = [];
  function report(rule: string, message: string, pos: number): void {
    var lc = lineCol(code, pos);
    out.push({ rule: rule, message: message, pos: pos, line: lc.line, column: lc.column });
  }
  // Regular expression literals first, from the tokens: acorn's ES5 parser would stop at the first one
  // that ES5 itself rejects (flags s/y/u, lookbehind, named groups). They are then blanked out (same
  // length, so positions stay) for the ES5 parse of the rest.
  var blanked = code;
  try {
    var tokens: any[] = [];
    for (var tok of acorn.tokenizer(code, { ecmaVersion: 'latest', allowReturnOutsideFunction: true } as any)) tokens.push(tok);
    var parts: string[] = [];
    var last = 0;
    var textEnd = 0;
    for (var t of tokens) {
      // Non-ASCII text: in a string literal (with \u0080-\u00ff escapes), or anywhere else (comments, names).
      nonAsciiBetween(textEnd, t.start);
      textEnd = t.end;
      if (t.type.label === 'string') {
        var sp = stringLiteralProblem(code.slice(t.start, t.end));
        if (sp) report('nonAscii', RULES.nonAscii + ': ' + sp, t.start);
        continue;
      }
      if (t.type.label !== 'template') nonAsciiBetween(t.start, t.end);
      if (t.type.label !== 'regexp') continue;
      checkRegex(t.value.pattern, t.value.flags, t.start);
      parts.push(code.slice(last, t.start), '/x/' + new Array(t.end - t.start - 2).join(' '));
      last = t.end;
    }
    parts.push(code.slice(last));
    nonAsciiBetween(textEnd, code.length);
    blanked = parts.join('');
  } catch (e) {
    blanked = code;
  }

  function nonAsciiBetween(from: number, to: number): void {
    for (var i = from; i < to; i++) {
      if (code.charCodeAt(i) > 0x7f) {
        report('nonAscii', RULES.nonAscii + ': character 0x' + code.charCodeAt(i).toString(16) + ' outside a string literal', i);
        return;
      }
    }
  }
  var ast: any;
  try {
    ast = acorn.parse(blanked, { ecmaVersion: 5, sourceType: 'script', allowReturnOutsideFunction: true });
  } catch (e: any) {
    report('syntax', RULES.syntax + ': ' + String(e.message).replace(/ \(\d+:\d+\)$/, ''), typeof e.pos === 'number' ? e.pos : 0);
    out.sort(function (a, b) { return a.pos - b.pos; });
    return out;
  }

  function isFree(id: any, scope: Scope): boolean {
    return id.type === 'Identifier' && !declared(scope, id.name);
  }

  function checkRegex(pattern: string, flags: string, pos: number): void {
    var p = regexProblem(pattern, flags);
    if (p) report('regex', RULES.regex + ': /' + pattern + '/' + flags + ': ' + p, pos);
  }

  function visitFunction(node: any, scope: Scope): void {
    var names: { [name: string]: true } = { arguments: true };
    for (var p of node.params) names[p.name] = true;
    if (node.type === 'FunctionExpression' && node.id) names[node.id.name] = true;
    collectDeclarations(node.body, names);
    visit(node.body, { names: names, parent: scope });
  }

  function visit(node: any, scope: Scope): void {
    if (!node || typeof node.type !== 'string') return;
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        visitFunction(node, scope);
        return;
      case 'CatchClause': {
        var names: { [name: string]: true } = {};
        names[node.param.name] = true;
        visit(node.body, { names: names, parent: scope });
        return;
      }
      case 'LabeledStatement':
        report('label', RULES.label + ': "' + node.label.name + ':"', node.start);
        visit(node.body, scope);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
        return;
      case 'VariableDeclarator':
        visit(node.init, scope);
        return;
      case 'Property':
        if (node.computed) visit(node.key, scope);
        visit(node.value, scope);
        return;
      case 'UnaryExpression':
        if (node.operator === 'typeof' && node.argument.type === 'Identifier') return;
        if (node.operator === 'typeof' || node.operator === 'void' || node.operator === 'delete') node.argument.notRead = true;
        if (node.operator === 'delete' && node.argument.type === 'MemberExpression' && node.argument.object.type === 'CallExpression') {
          report('deleteCall', RULES.deleteCall, node.start);
        }
        break;
      case 'AssignmentExpression':
        if (node.operator === '=') node.left.notRead = true;
        break;
      case 'Identifier':
        if (MISSING_GLOBALS.indexOf(node.name) >= 0 && isFree(node, scope)) {
          report('global', RULES.global + ': ' + node.name, node.start);
        }
        return;
      case 'ArrayExpression':
        if (node.elements.indexOf(null) >= 0) report('arrayHole', RULES.arrayHole, node.start);
        break;
      case 'Literal':
        return;
      case 'NewExpression':
      case 'CallExpression': {
        var callee = node.callee;
        callee.notRead = true;
        if (callee.type === 'Identifier' && callee.name === 'RegExp' && isFree(callee, scope) && node.arguments.length &&
          node.arguments[0].type === 'Literal' && typeof node.arguments[0].value === 'string') {
          var fl = node.arguments[1] && node.arguments[1].type === 'Literal' ? String(node.arguments[1].value) : '';
          checkRegex(node.arguments[0].value, fl, node.start);
        }
        var name = memberName(callee);
        if (node.type === 'CallExpression' && name === 'finally') report('finally', RULES.finally, callee.property.start);
        if (name === 'create' && callee.object.type === 'Identifier' && callee.object.name === 'Object' &&
          isFree(callee.object, scope) && node.arguments.length > 1) {
          report('objectCreate', RULES.objectCreate, node.start);
        }
        if ((name === 'call' || name === 'apply') && callee.object.type === 'MemberExpression') {
          // X.prototype.m.call(...) with X a global (a built-in); a local class's prototype is fine.
          var proto = callee.object.object;
          if (memberName(proto) === 'prototype' && proto.object.type === 'Identifier' && isFree(proto.object, scope)) {
            report('prototypeCall', RULES.prototypeCall + ': ' + proto.object.name + '.prototype.' + memberName(callee.object) + '.' + name, node.start);
          }
        }
        break;
      }
      case 'MemberExpression': {
        var prop = memberName(node);
        if (!node.notRead && takenOut(node.object)) {
          report('removedProp', RULES.removedProp + ': ' + (prop ? '.' + prop : '[...]'), node.start);
        }
        if (prop && node.object.type === 'Identifier' && isFree(node.object, scope)) {
          var list = MISSING_STATICS[node.object.name];
          if (list && list.indexOf(prop) >= 0) report('static', RULES.static + ': ' + node.object.name + '.' + prop, node.start);
        }
        visit(node.object, scope);
        if (node.computed) visit(node.property, scope);
        return;
      }
    }
    for (var k in node) {
      if (k === 'type' || k === 'start' || k === 'end' || k === 'loc' || k === 'regex') continue;
      var v = node[k];
      if (Array.isArray(v)) {
        for (var x of v) visit(x, scope);
      } else if (v && typeof v.type === 'string') {
        visit(v, scope);
      }
    }
  }

  var top: { [name: string]: true } = {};
  collectDeclarations(ast, top);
  visit(ast, { names: top, parent: null });
  out.sort(function (a, b) { return a.pos - b.pos; });
  return out;
}
