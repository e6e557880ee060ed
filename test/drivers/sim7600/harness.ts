import { VirtualClock } from '../../../hal/host/virtual-clock';
import { MemoryLog } from '../../../hal/host/console-log';
import { Sim7600Model, Sim7600ModelOptions } from '../../../sim/sim7600/sim7600-model';
import { LoopCellNetwork, LoopCellOptions } from '../../../sim/sim7600/loop-cell';
import { Sim7600Interface, Sim7600InterfaceOptions } from '../../../src/drivers/sim7600/sim7600-interface';
import { IF_STATES, REASONS } from '../../../src/net/types';
import { nameAt } from '../../../src/util/names';

/** A host board for one SIM7600: virtual clock, loop cellular network, modem model, driver. */
export interface Rig {
  clock: VirtualClock;
  net: LoopCellNetwork;
  model: Sim7600Model;
  cell: Sim7600Interface;
  /** "state(reason)" names in order. */
  states: string[];
  recovery: string[];
  log: MemoryLog;
}

export function makeRig(o?: { net?: Partial<LoopCellOptions>; model?: Partial<Sim7600ModelOptions>; cell?: Partial<Sim7600InterfaceOptions> }): Rig {
  o = o || {};
  var clock = new VirtualClock(0);
  var net = new LoopCellNetwork(Object.assign({ clock: clock }, o.net || {}));
  var model = new Sim7600Model(Object.assign({ clock: clock, net: net }, o.model || {}));
  var log = new MemoryLog(function () { return clock.now(); }, -1, 5000);
  var cell = new Sim7600Interface(Object.assign({ uart: model.uart, clock: clock, pwrkey: model.pwrkey, log: log, apn: 'internet' }, o.cell || {}));
  var rig: Rig = { clock: clock, net: net, model: model, cell: cell, states: [], recovery: [], log: log };
  cell.events.on('state', function (s: number, r: number) {
    rig.states.push(nameAt(IF_STATES, s) + (r ? '(' + nameAt(REASONS, r) + ')' : ''));
  });
  cell.events.on('recovery', function (rung: number, what: string) {
    rig.recovery.push(rung + ':' + what);
  });
  return rig;
}

/** Runs until `cond` or `maxMs` of virtual time. */
export function until(rig: Rig, cond: () => boolean, maxMs: number): boolean {
  return rig.clock.runUntil(cond, maxMs);
}

/** Deterministic test payload of `n` bytes (binary string), all byte values. */
export function payload(n: number, seed?: number): string {
  var s = '';
  var x = seed || 1;
  for (var i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += String.fromCharCode((x >> 16) & 255);
  }
  return s;
}
