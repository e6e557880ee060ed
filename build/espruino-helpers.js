/*
 * Espruino-safe replacements for TypeScript's emit helpers (what tslib gives Node).
 *
 * The firmware is compiled with `noEmitHelpers`, so TypeScript's ES5 output calls these as globals.
 * The bundler puts only the helpers a build uses at the top of the built file, as global function
 * declarations (every `Modules.addCached` body sees globals only).
 *
 * Written for Espruino 2v29 (shared/ESPRUINO.md):
 * - declarations come first in every scope (Espruino does not hoist);
 * - no `X.prototype.method.call` on built-ins (`Array.prototype.slice` is undefined there): `[].slice.call`;
 * - statics are copied by `__extends` (Espruino does not inherit them through the constructor's prototype);
 * - no Symbol, Map, WeakMap, Reflect: iteration helpers handle arrays and array-likes only.
 * One top-level function per helper; a helper may call another one by name (the bundler follows that).
 */

/** `class D extends B`: copies B's statics (getters too) onto D and chains the prototypes. */
function __extends(d, b) {
  var ks, k, i, desc;
  if (typeof b !== "function" && b !== null) throw new TypeError("Class extends value " + String(b) + " is not a constructor or null");
  if (b) {
    ks = Object.getOwnPropertyNames(b);
    for (i = 0; i < ks.length; i++) {
      k = ks[i];
      if (k !== "prototype" && k !== "length" && k !== "name" && k !== "caller" && k !== "arguments" && !d.hasOwnProperty(k)) {
        desc = Object.getOwnPropertyDescriptor(b, k);
        if (desc) Object.defineProperty(d, k, desc);
      }
    }
  }
  d.prototype = b === null ? Object.create(null) : Object.create(b.prototype);
  Object.defineProperty(d.prototype, "constructor", { value: d, writable: true, configurable: true });
}

/** Object spread and `Object.assign`-like merges: own enumerable properties, left to right. */
function __assign(t) {
  var i, s, p;
  for (i = 1; i < arguments.length; i++) {
    s = arguments[i];
    if (s != null) for (p in s) if ({}.hasOwnProperty.call(s, p)) t[p] = s[p];
  }
  return t;
}

/** Object rest: a copy of `s` without the keys listed in `e`. */
function __rest(s, e) {
  var t = {}, p;
  for (p in s) if ({}.hasOwnProperty.call(s, p) && e.indexOf(p) < 0) t[p] = s[p];
  return t;
}

/** Array spread: `to` followed by the items of the array-like `from` (a new array). */
function __spreadArray(to, from, pack) {
  return to.concat([].slice.call(from));
}

/** The first `n` items (all when `n` is undefined) of an array-like, as an array. */
function __read(o, n) {
  var ar = [], i;
  for (i = 0; i < o.length && (n === void 0 || i < n); i++) ar.push(o[i]);
  return ar;
}

/** An iterator over an array-like (no Symbol.iterator on Espruino). */
function __values(o) {
  var i = 0;
  if (o && typeof o.length === "number") return {
    next: function () {
      if (o && i >= o.length) o = void 0;
      return { value: o && o[i++], done: !o };
    }
  };
  throw new TypeError("Object is not iterable.");
}

/** `async function`: drives the generator produced by `__generator` with Promises. */
function __awaiter(thisArg, _arguments, P, generator) {
  function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
  if (!P) P = Promise;
  return new P(function (resolve, reject) {
    function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
    function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
    function step(result) { if (result.done) resolve(result.value); else adopt(result.value).then(fulfilled, rejected); }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
}

/** The state machine TypeScript emits for generator and async function bodies (tslib's, reordered). */
function __generator(thisArg, body) {
  var _ = { label: 0, sent: function () { if (t[0] & 1) throw t[1]; return t[1]; }, trys: [], ops: [] }, f, y, t, g = {};
  function verb(n) { return function (v) { return step([n, v]); }; }
  function step(op) {
    if (f) throw new TypeError("Generator is already executing.");
    while (g && (g = 0, op[0] && (_ = 0)), _) try {
      if (f = 1, y && (t = op[0] & 2 ? y["return"] : op[0] ? y["throw"] || ((t = y["return"]) && t.call(y), 0) : y.next) && !(t = t.call(y, op[1])).done) return t;
      if (y = 0, t) op = [op[0] & 2, t.value];
      switch (op[0]) {
        case 0: case 1: t = op; break;
        case 4: _.label++; return { value: op[1], done: false };
        case 5: _.label++; y = op[1]; op = [0]; continue;
        case 7: op = _.ops.pop(); _.trys.pop(); continue;
        default:
          if (!(t = _.trys, t = t.length > 0 && t[t.length - 1]) && (op[0] === 6 || op[0] === 2)) { _ = 0; continue; }
          if (op[0] === 3 && (!t || (op[1] > t[0] && op[1] < t[3]))) { _.label = op[1]; break; }
          if (op[0] === 6 && _.label < t[1]) { _.label = t[1]; t = op; break; }
          if (t && _.label < t[2]) { _.label = t[2]; _.ops.push(op); break; }
          if (t[2]) _.ops.pop();
          _.trys.pop(); continue;
      }
      op = body.call(thisArg, _);
    } catch (e) { op = [6, e]; y = 0; } finally { f = t = 0; }
    if (op[0] & 5) throw op[1];
    return { value: op[0] ? op[1] : void 0, done: true };
  }
  g.next = verb(0);
  g["throw"] = verb(1);
  g["return"] = verb(2);
  return g;
}

/**
 * Re-export of one name (`export { x } from`, `export *`). Copies the value instead of defining a getter:
 * a getter is a closure per name, and modules are fully loaded before anyone re-exports them
 * (dependencies first, no cycles), so the value is final unless the exporter reassigns it later.
 */
function __createBinding(o, m, k, k2) {
  if (k2 === void 0) k2 = k;
  o[k2] = m[k];
}

/** `export * from "m"`. */
function __exportStar(m, o) {
  var p;
  for (p in m) if (p !== "default" && !{}.hasOwnProperty.call(o, p)) __createBinding(o, m, p);
}

/** Sets the `default` member of a namespace object. */
function __setModuleDefault(o, v) {
  o["default"] = v;
}

/** `import * as x` of a CommonJS module (esModuleInterop). */
function __importStar(mod) {
  var result = {}, k;
  if (mod && mod.__esModule) return mod;
  if (mod != null) for (k in mod) if (k !== "default" && {}.hasOwnProperty.call(mod, k)) __createBinding(result, mod, k);
  __setModuleDefault(result, mod);
  return result;
}

/** `import x from` a CommonJS module (esModuleInterop). */
function __importDefault(mod) {
  return (mod && mod.__esModule) ? mod : { "default": mod };
}

/** Tagged template strings object. */
function __makeTemplateObject(cooked, raw) {
  Object.defineProperty(cooked, "raw", { value: raw });
  return cooked;
}

/** Sets a function's `name` (class expressions that TypeScript names). */
function __setFunctionName(f, name, prefix) {
  Object.defineProperty(f, "name", { configurable: true, value: prefix ? prefix + " " + name : name });
  return f;
}

/** Reads a `#private` member (the state is a WeakMap, which Espruino lacks: kept for completeness). */
function __classPrivateFieldGet(receiver, state, kind, f) {
  if (kind === "a" && !f) throw new TypeError("Private accessor was defined without a getter");
  if (typeof state === "function" ? receiver !== state || !f : !state.has(receiver)) throw new TypeError("Cannot read private member from an object whose class did not declare it");
  return kind === "m" ? f : kind === "a" ? f.call(receiver) : f ? f.value : state.get(receiver);
}

/** Writes a `#private` member (see __classPrivateFieldGet). */
function __classPrivateFieldSet(receiver, state, value, kind, f) {
  if (kind === "m") throw new TypeError("Private method is not writable");
  if (kind === "a" && !f) throw new TypeError("Private accessor was defined without a setter");
  if (typeof state === "function" ? receiver !== state || !f : !state.has(receiver)) throw new TypeError("Cannot write private member to an object whose class did not declare it");
  if (kind === "a") f.call(receiver, value); else if (f) f.value = value; else state.set(receiver, value);
  return value;
}

/** `#x in obj`. */
function __classPrivateFieldIn(state, receiver) {
  if (receiver === null || (typeof receiver !== "object" && typeof receiver !== "function")) throw new TypeError("Cannot use 'in' operator on non-object");
  return typeof state === "function" ? receiver === state : state.has(receiver);
}
