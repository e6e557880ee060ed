/**
 * Loads a sketch file for one simulated board, with its own copy of the "netswitch" package.
 *
 * A sketch imports `Particle`, `Network`, … from "netswitch". On a real board that module holds the one
 * API binding of the firmware image. In one Node process several simulated boards run side by side, so
 * each board loads the sketch (and every module of the sketch's own folder that it imports) afresh, and
 * every `require("netswitch")` in them returns a facade object bound to that board's ApiBinding. Modules
 * outside the sketch's folder (src/, node_modules) are shared as usual: they hold no device state.
 */
import * as path from 'path';
import Module = require('module');
import * as pkg from '../../src/index';
import { ApiBinding } from '../../src/api/binding';
import { Device } from '../../src/api/device';
import { RuntimeOptions } from '../../src/api/runtime';

/** What a sketch module exports (Particle-style). */
export interface SketchExports {
  setup?: () => void;
  loop?: () => void;
  /** Optional: a system mode (AUTOMATIC, SEMI_AUTOMATIC, MANUAL); SYSTEM_MODE() at top level also works. */
  mode?: number;
  /** Optional device configuration, e.g. `{connection: {failBack: true}}` (knobs of docs/connection-manager.md). */
  config?: { connection?: any; [k: string]: any };
  [k: string]: any;
}

/** The "netswitch" module as one board's sketch sees it: the package with the facades of `api`. */
export function packageFor(api: ApiBinding): any {
  var m: any = {};
  var k: string;
  for (k in pkg) m[k] = (pkg as any)[k];
  m.Particle = api.Particle;
  m.Network = api.Network;
  m.WiFi = api.WiFi;
  m.Cellular = api.Cellular;
  m.Ethernet = api.Ethernet;
  m.System = api.System;
  m.startRuntime = function (device: Device, opts?: RuntimeOptions) {
    return api.start(device, opts);
  };
  m.stopRuntime = function () {
    api.stop();
  };
  m.SYSTEM_MODE = function (mode: number) {
    api.setMode(mode);
  };
  m.waitFor = function (cond: () => boolean, ms: number, cb?: (ok: boolean) => void) {
    api.System.waitFor(cond, ms, cb);
  };
  return m;
}

/** Node's module internals used here (not in @types/node). */
interface NodeModule {
  exports: any;
  filename: string;
  paths: string[];
  loaded: boolean;
  require(id: string): any;
  load(filename: string): void;
}

var M: any = Module;

/**
 * Loads `file` (a .ts or .js sketch) for the board bound to `api`: its top level runs now (so a
 * `SYSTEM_MODE(...)` or `System.on(...)` there reaches this board), and its exports are returned.
 */
export function loadSketch(file: string, api: ApiBinding): SketchExports {
  var abs = path.resolve(file);
  var dir = path.dirname(abs);
  var facade = packageFor(api);
  var cache: { [f: string]: NodeModule } = {};

  function load(f: string, parent: any): any {
    var hit = cache[f];
    if (hit) return hit.exports;
    var mod: NodeModule = new M(f, parent);
    mod.filename = f;
    mod.paths = M._nodeModulePaths(path.dirname(f));
    mod.require = function (id: string) {
      if (id === 'netswitch') return facade;
      var target: string = M._resolveFilename(id, mod, false);
      // The sketch's own folder is loaded per board; everything else the usual way.
      if (path.isAbsolute(target) && target.indexOf(dir + path.sep) === 0 && target.indexOf(path.sep + 'node_modules' + path.sep) < 0) {
        return load(target, mod);
      }
      return M.prototype.require.call(mod, id);
    };
    cache[f] = mod;
    mod.load(f);
    return mod.exports;
  }

  var ex = load(abs, module);
  return ex && typeof ex === 'object' ? ex : {};
}
