/**
 * Runs a built file in a Node `vm` context shaped like Espruino 2v29, for tests and host runs:
 * - the built-ins Espruino lacks are removed (Map, Set, WeakMap, WeakSet, Symbol, Proxy, Reflect,
 *   Array.from/of, Object.freeze/is, Promise.race/allSettled/any and .finally, TextEncoder, Buffer, ...);
 * - `Modules.addCached(id, fn)` runs `fn` at once with its own `exports` and `module` (and `this` =
 *   exports), seeing globals only, like Espruino; `require(id)` returns a cached module or throws
 *   `Module "id" not found`;
 * - `clearTimeout(undefined)` throws, as on Espruino; `console.log` lines are collected;
 * - `E.getErrorFlags()` answers [] (no interpreter error: the memory binding polls it).
 * It cannot take away what Node's engine does by itself (hoisting, `Array.prototype.slice`): the hoisting
 * pass and the gate cover those.
 */
import * as vm from 'vm';

export interface SandboxOptions {
  /** Built-in modules `require` returns (e.g. a fake "Storage"). */
  modules?: { [id: string]: any };
  /** Stop waiting for timers after this long (ms of wall time, default 5000). */
  timeoutMs?: number;
  /** Receives each console.log line as it is printed. */
  onLine?: (line: string) => void;
}

export interface SandboxResult {
  lines: string[];
  /** Uncaught errors (load time or in a timer callback), as "Uncaught <message>". */
  errors: string[];
  /** True when timers were still pending at the time limit. */
  timedOut: boolean;
}

var REMOVE = [
  'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Symbol', 'Proxy', 'Reflect',
  'TextEncoder', 'TextDecoder', 'queueMicrotask', 'structuredClone', 'SharedArrayBuffer', 'Atomics',
];
var REMOVE_STATICS: [string, string][] = [
  ['Array', 'from'], ['Array', 'of'], ['Object', 'freeze'], ['Object', 'is'], ['Object', 'isFrozen'],
  ['Object', 'seal'], ['Object', 'fromEntries'], ['Object', 'getOwnPropertySymbols'], ['Promise', 'race'],
  ['Promise', 'allSettled'], ['Promise', 'any'], ['Date', 'UTC'], ['Uint8Array', 'from'], ['Uint8Array', 'of'],
];
var REMOVE_PROTO: [string, string][] = [
  ['Promise', 'finally'], ['Array', 'flat'], ['Array', 'flatMap'], ['Array', 'at'], ['Array', 'findLast'],
  ['String', 'trimStart'], ['String', 'trimEnd'], ['String', 'codePointAt'], ['String', 'normalize'],
  ['String', 'matchAll'], ['String', 'at'],
];

function format(v: any): string {
  if (typeof v === 'string') return v;
  try {
    return v === undefined ? 'undefined' : typeof v === 'function' ? 'function' : JSON.stringify(v);
  } catch (e) {
    return String(v);
  }
}

/** Runs `code` and resolves once no timer is pending (or at the time limit). */
export function runInSandbox(code: string, o?: SandboxOptions): Promise<SandboxResult> {
  var opts = o || {};
  var lines: string[] = [];
  var errors: string[] = [];
  var pending = new Map<number, NodeJS.Timeout>();
  var nextId = 1;
  var cache: { [id: string]: any } = {};
  var builtins = opts.modules || {};

  function print(): void {
    var line = [].slice.call(arguments).map(format).join(' ');
    lines.push(line);
    if (opts.onLine) opts.onLine(line);
  }
  function guard(fn: (...a: any[]) => void, args: any[]): void {
    try {
      fn.apply(undefined, args);
    } catch (e: any) {
      errors.push('Uncaught ' + (e && e.message !== undefined ? e.message : String(e)));
    }
  }
  var sandbox: any = {
    console: { log: print },
    E: { getErrorFlags: function () { return []; } },
    setTimeout: function (fn: any, ms?: number) {
      var args = [].slice.call(arguments, 2);
      var id = nextId++;
      pending.set(id, setTimeout(function () {
        pending.delete(id);
        guard(fn, args);
      }, ms || 0));
      return id;
    },
    setInterval: function (fn: any, ms?: number) {
      var args = [].slice.call(arguments, 2);
      var id = nextId++;
      pending.set(id, setInterval(function () { guard(fn, args); }, Math.max(1, ms || 0)));
      return id;
    },
    clearTimeout: function (id: any) {
      if (id === undefined) throw new Error('clearTimeout(undefined) not allowed. Use clearTimeout() instead');
      var t = pending.get(id);
      if (t) clearTimeout(t);
      pending.delete(id);
    },
    clearInterval: function (id: any) {
      if (id === undefined) throw new Error('clearInterval(undefined) not allowed. Use clearInterval() instead');
      var t = pending.get(id);
      if (t) clearInterval(t);
      pending.delete(id);
    },
  };
  var ctx = vm.createContext(sandbox);
  var g: any = vm.runInContext('this', ctx);
  vm.runInContext(
    REMOVE.map(function (n) { return 'delete this.' + n + ';'; }).join('') +
    REMOVE_STATICS.map(function (p) { return 'delete ' + p[0] + '.' + p[1] + ';'; }).join('') +
    REMOVE_PROTO.map(function (p) { return 'delete ' + p[0] + '.prototype.' + p[1] + ';'; }).join(''),
    ctx);
  var wrap = function (src: string): any {
    return vm.runInContext('(function (exports, module) { return (' + src + '); })', ctx);
  };
  g.Modules = {
    addCached: function (id: string, fn: any) {
      var m: any = { exports: {} };
      // Re-scope the body: it sees globals and its own exports/module, nothing else (as on Espruino).
      var body = wrap(String(fn))(m.exports, m);
      body.call(m.exports);
      cache[id] = m.exports;
    },
    getCached: function () { return Object.keys(cache); },
    removeCached: function (id: string) { delete cache[id]; },
  };
  g.require = function (id: string) {
    if (Object.prototype.hasOwnProperty.call(cache, id)) return cache[id];
    if (Object.prototype.hasOwnProperty.call(builtins, id)) return builtins[id];
    throw new g.Error('Module "' + id + '" not found');
  };
  try {
    vm.runInContext(code, ctx, { filename: 'bundle.js' });
  } catch (e: any) {
    errors.push('Uncaught ' + (e && e.message !== undefined ? e.message : String(e)));
  }
  var limit = Date.now() + (opts.timeoutMs || 5000);
  return new Promise(function (resolve) {
    function poll(): void {
      if (pending.size === 0 || Date.now() > limit) {
        var timedOut = pending.size > 0;
        pending.forEach(function (t) { clearTimeout(t); clearInterval(t); });
        pending.clear();
        resolve({ lines: lines, errors: errors, timedOut: timedOut });
        return;
      }
      setTimeout(poll, 1);
    }
    setImmediate(poll);
  });
}
