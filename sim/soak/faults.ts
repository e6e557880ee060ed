/**
 * The soak's fault injector: random faults in virtual time on a simulated board (boards/host-sim.ts),
 * each healed after a random duration. Faults overlap. Everything is drawn from one seeded PRNG, so the
 * same seed gives the same faults.
 *
 * Kinds (weights in FAULT_KINDS): link flaps (Ethernet cable, Wi-Fi AP, cellular coverage), loss bursts,
 * silent upstream outages, modem hangs (silent until power-cycled) and garbage (noise, garbled lines),
 * W5500 absent (MISO all 0x00 / 0xFF) or reset, DHCP lease loss (renewals NAKed), DNS failure, the echo
 * service gone, cellular PDP drops and registration denial, broker restarts and refusals.
 */
import { Rng } from '../world/rng';
import { applyEvent } from '../world/scenario';

/** What the injector needs of the board. */
export interface FaultTarget {
  world: any;
  w5500: any;
  sim7600: any;
}

interface Kind {
  name: string;
  weight: number;
  /** Longest duration (ms); each fault lasts a random 1 s .. max. */
  maxMs: number;
  /** Applies the fault; returns its healing (null: it heals by itself). */
  apply: (t: FaultTarget, rng: Rng, ms: number) => (() => void) | null;
}

function ev(t: FaultTarget, e: any): void {
  applyEvent(t.world, e);
}

var NICS = ['eth0', 'wl0', 'cell0'];

/** Every fault kind. */
export var FAULT_KINDS: Kind[] = [
  {
    name: 'eth-cable', weight: 10, maxMs: 120000,
    apply: function (t) {
      ev(t, { at: 0, do: 'link-down', nic: 'eth0' });
      return function () { ev(t, { at: 0, do: 'link-up', nic: 'eth0' }); };
    },
  },
  {
    name: 'wifi-ap', weight: 8, maxMs: 120000,
    apply: function (t) {
      var ssid = t.world.airspace().aps()[0].ssid;
      ev(t, { at: 0, do: 'ap-down', ssid: ssid });
      return function () { ev(t, { at: 0, do: 'ap-up', ssid: ssid }); };
    },
  },
  {
    name: 'cell-coverage', weight: 5, maxMs: 180000,
    apply: function (t) {
      ev(t, { at: 0, do: 'cell-searching' });
      return function () { ev(t, { at: 0, do: 'cell-register', stat: 1 }); };
    },
  },
  {
    name: 'loss-burst', weight: 10, maxMs: 60000,
    apply: function (t, rng) {
      var nic = NICS[rng.int(3)];
      ev(t, { at: 0, do: 'link', nic: nic, loss: 0.2 + 0.75 * rng.next() });
      return function () { ev(t, { at: 0, do: 'link', nic: nic, loss: 0 }); };
    },
  },
  {
    name: 'silent-outage', weight: 10, maxMs: 90000,
    apply: function (t, rng) {
      var nic = NICS[rng.int(3)];
      ev(t, { at: 0, do: 'outage-start', nic: nic });
      return function () { ev(t, { at: 0, do: 'outage-end', nic: nic }); };
    },
  },
  {
    name: 'modem-hang', weight: 4, maxMs: 1000,
    apply: function (t) {
      // Silent until power-cycled through PWRKEY: the driver's recovery ladder must get there.
      t.sim7600.faults.silent = true;
      return null;
    },
  },
  {
    name: 'modem-garbage', weight: 6, maxMs: 1000,
    apply: function (t, rng) {
      t.sim7600.faults.noise += 1 + rng.int(6);
      t.sim7600.faults.garble += 1 + rng.int(6);
      return null;
    },
  },
  {
    name: 'w5500-absent', weight: 4, maxMs: 60000,
    apply: function (t, rng) {
      t.w5500.o.absent = rng.chance(0.5) ? 'zeros' : 'ones';
      return function () {
        t.w5500.o.absent = undefined;
        t.w5500.hardReset();
      };
    },
  },
  {
    name: 'w5500-reset', weight: 4, maxMs: 1000,
    apply: function (t) {
      t.w5500.hardReset();
      return null;
    },
  },
  {
    name: 'dhcp-lease-loss', weight: 5, maxMs: 180000,
    apply: function (t, rng) {
      var lan = rng.chance(0.5) ? 'eth' : 'wifi';
      if (!t.world.findLan(lan) || !t.world.findLan(lan).dhcp) lan = 'eth';
      ev(t, { at: 0, do: 'dhcp-nak', lan: lan, nak: true });
      return function () { ev(t, { at: 0, do: 'dhcp-nak', lan: lan, nak: false }); };
    },
  },
  {
    name: 'dns-failure', weight: 5, maxMs: 90000,
    apply: function (t) {
      ev(t, { at: 0, do: 'dns-silent', silent: true });
      return function () { ev(t, { at: 0, do: 'dns-silent', silent: false }); };
    },
  },
  {
    name: 'echo-gone', weight: 3, maxMs: 120000,
    apply: function (t) {
      ev(t, { at: 0, do: 'echo-silent', silent: true });
      return function () { ev(t, { at: 0, do: 'echo-silent', silent: false }); };
    },
  },
  {
    name: 'pdp-drop', weight: 4, maxMs: 1000,
    apply: function (t) {
      ev(t, { at: 0, do: 'cell-pdp-lost' });
      return null;
    },
  },
  {
    name: 'cell-denied', weight: 2, maxMs: 120000,
    apply: function (t) {
      ev(t, { at: 0, do: 'cell-deny' });
      return function () { ev(t, { at: 0, do: 'cell-register', stat: 1 }); };
    },
  },
  {
    name: 'broker-restart', weight: 6, maxMs: 30000,
    apply: function (t, rng, ms) {
      ev(t, { at: 0, do: 'broker-restart', downMs: ms });
      return null;
    },
  },
  {
    name: 'broker-refuse', weight: 4, maxMs: 60000,
    apply: function (t) {
      ev(t, { at: 0, do: 'broker-refuse-auth', refuse: true });
      return function () { ev(t, { at: 0, do: 'broker-refuse-auth', refuse: false }); };
    },
  },
];

export interface FaultOptions {
  /** Faults to inject. */
  count: number;
  /** Mean time between two fault starts, ms (exponential gaps). Default 20000. */
  meanGapMs?: number;
  /** Only these kinds (names), default all. */
  kinds?: string[];
}

/**
 * Injects `count` faults, starting now, at random times; each is healed after its duration. `done()` is
 * true once the last fault was injected and every fault is healed.
 */
export class FaultInjector {
  readonly counts: { [kind: string]: number } = {};
  injected = 0;
  active = 0;
  _t: FaultTarget;
  _rng: Rng;
  _o: FaultOptions;
  _kinds: Kind[];
  _total = 0;
  _heals: Array<() => void> = [];
  _timers: any[] = [];
  _next: any = null;
  /** Virtual time of the last healing so far. */
  lastHealAt = 0;

  constructor(t: FaultTarget, seed: number, o: FaultOptions) {
    this._t = t;
    this._rng = new Rng(seed ^ 0x5eed);
    this._o = o;
    var only = o.kinds;
    this._kinds = FAULT_KINDS.filter(function (k) { return !only || only.indexOf(k.name) >= 0; });
    if (!this._kinds.length) throw new TypeError('no fault kinds');
    for (var i = 0; i < this._kinds.length; i++) this._total += this._kinds[i].weight;
  }

  start(): void {
    this._arm();
  }

  /** All faults injected and healed. */
  done(): boolean {
    return this.injected >= this._o.count && this.active === 0;
  }

  /** Heals every active fault now and injects no more. */
  stop(): void {
    var clock = this._t.world.clock;
    if (this._next !== null) clock.clearTimeout(this._next);
    this._next = null;
    this._o.count = this.injected;
    var h = this._heals.slice();
    for (var i = 0; i < this._timers.length; i++) clock.clearTimeout(this._timers[i]);
    this._timers = [];
    this._heals = [];
    this.active = 0;
    for (var j = 0; j < h.length; j++) h[j]();
  }

  _arm(): void {
    if (this.injected >= this._o.count) return;
    var self = this;
    var mean = this._o.meanGapMs || 20000;
    var gap = Math.min(mean * 10, -Math.log(1 - this._rng.next()) * mean);
    this._next = this._t.world.clock.setTimeout(function () {
      self._next = null;
      self._one();
      self._arm();
    }, gap);
  }

  _pick(): Kind {
    var r = this._rng.next() * this._total;
    for (var i = 0; i < this._kinds.length; i++) {
      r -= this._kinds[i].weight;
      if (r < 0) return this._kinds[i];
    }
    return this._kinds[this._kinds.length - 1];
  }

  /** Virtual time of the last fault start or healing. */
  lastChangeAt = 0;

  /** Quiet: no fault active, and none started or healed within `ms`. */
  quietFor(ms: number): boolean {
    return this.active === 0 && this._t.world.clock.now() - this.lastChangeAt >= ms;
  }

  _one(): void {
    this.lastChangeAt = this._t.world.clock.now();
    var k = this._pick();
    var ms = 1000 + Math.floor(this._rng.next() * Math.max(0, k.maxMs - 1000));
    this.injected++;
    this.counts[k.name] = (this.counts[k.name] || 0) + 1;
    var heal = k.apply(this._t, this._rng, ms);
    if (!heal) return;
    var self = this;
    var clock = this._t.world.clock;
    this.active++;
    this._heals.push(heal);
    var tm = clock.setTimeout(function () {
      var i = self._heals.indexOf(heal!);
      if (i < 0) return;
      self._heals.splice(i, 1);
      var j = self._timers.indexOf(tm);
      if (j >= 0) self._timers.splice(j, 1);
      self.active--;
      self.lastHealAt = self.lastChangeAt = clock.now();
      heal!();
    }, ms);
    this._timers.push(tm);
  }
}
