/** Test rig: a virtual clock, the loopback NIC, the W5500 model and the driver wired together. */
import { VirtualClock } from '../../../hal/host/virtual-clock';
import { GpioPin } from '../../../hal/gpio';
import { W5500Model, W5500ModelOptions } from '../../../sim/w5500/w5500-model';
import { W5500Interface, W5500Options } from '../../../src/drivers/w5500/w5500-interface';
import { IF_STATES } from '../../../src/net/types';
import { LoopbackNic } from '../../sim/w5500/loopback-nic';
import { nameAt } from '../../../src/util/names';

/** A GPIO pin that records writes and lets a test drive its level. */
export class FakePin implements GpioPin {
  level = true;
  writes: boolean[] = [];
  _w: Array<{ cb: (h: boolean) => void; edge: string }> = [];
  write(high: boolean): void {
    this.writes.push(high);
    this.set(high);
  }
  read(): boolean {
    return this.level;
  }
  set(high: boolean): void {
    if (high === this.level) return;
    this.level = high;
    this._w.slice().forEach((w) => {
      if (w.edge === 'both' || (w.edge === 'rising') === high) w.cb(high);
    });
  }
  watch(cb: (high: boolean) => void, edge: 'rising' | 'falling' | 'both'): () => void {
    var w = { cb: cb, edge: edge };
    this._w.push(w);
    return () => {
      var i = this._w.indexOf(w);
      if (i >= 0) this._w.splice(i, 1);
    };
  }
}

export interface Rig {
  clock: VirtualClock;
  nic: LoopbackNic;
  model: W5500Model;
  eth: W5500Interface;
  states: string[];
}

export function rig(drv?: Partial<W5500Options>, mdl?: Partial<W5500ModelOptions>, nicSetup?: (n: LoopbackNic) => void): Rig {
  var clock = new VirtualClock(1000);
  var nic = new LoopbackNic(clock);
  if (nicSetup) nicSetup(nic);
  var model = new W5500Model(Object.assign({ clock: clock, nic: nic }, mdl || {}));
  var eth = new W5500Interface(Object.assign({ spi: model, clock: clock }, drv || {}));
  var states: string[] = [];
  eth.events.on('state', (s: number, r: number) => states.push(nameAt(IF_STATES, s) + (r ? ':' + r : '')));
  return { clock: clock, nic: nic, model: model, eth: eth, states: states };
}

/** Brings the interface to ready (DHCP from the loopback NIC); throws when it does not get there. */
export function ready(r: Rig): void {
  r.eth.connect();
  if (!r.clock.runUntil(() => r.eth.state() === 4, 60000)) throw new Error('not ready: ' + r.states.join(','));
}

/** Binary string ↔ Buffer. */
export function str(b: Buffer): string {
  return b.toString('latin1');
}
export function buf(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}
