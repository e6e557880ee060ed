import { CellNetwork, SimNic } from '../nic';
import { NetCore } from './core';
import { AccessNetwork } from './access-network';
import { WorldNic } from './world-nic';

/** 3GPP registration stat values (+CREG/+CGREG/+CEREG). */
export const REG_NONE = 0;
export const REG_HOME = 1;
export const REG_SEARCHING = 2;
export const REG_DENIED = 3;
export const REG_UNKNOWN = 4;
export const REG_ROAMING = 5;
export const REG_NAMES = ['none', 'home', 'searching', 'denied', 'unknown', 'roaming'];

export type SimState = 'READY' | 'SIM PIN' | 'SIM PUK' | 'NOT INSERTED';

export interface CellOptions {
  /** SIM state as +CPIN reports it. */
  sim: SimState;
  /** PIN that unlocks the SIM. */
  pin: string;
  /** From radio on (or coverage back) to the registration outcome, ms. */
  registrationDelayMs: number;
  /** Where registration ends: 1 home, 5 roaming, 3 denied, 2 searching for ever. */
  outcome: number;
  /** The APN the network accepts; '' accepts any. */
  apn: string;
  /** PDP credentials the network checks when set. */
  user?: string;
  password?: string;
  /** PDP context activation time, ms. */
  pdpDelayMs: number;
  /** +CSQ rssi 0–31 (99 unknown). */
  csq: number;
  /** +CNSMOD access technology (8 = LTE). */
  cnsmod: number;
}

export const DEFAULT_CELL: CellOptions = {
  sim: 'READY', pin: '1234', registrationDelayMs: 8000, outcome: REG_HOME, apn: '', pdpDelayMs: 1500, csq: 20, cnsmod: 8,
};

/**
 * The cellular network as the SIM7600 model sees it: the SIM, registration (searching, then home, roaming
 * or denied after a delay; lost with coverage), signal, and the PDP context (APN and credential check,
 * activation delay, an address on the PDN, dropped by the network when told to). The PDP NIC is the
 * interface's one NIC; its carrier is "PDP up and link up".
 */
export class CellNetworkModel implements CellNetwork {
  readonly nic: WorldNic;
  readonly pdn: AccessNetwork;
  private _core: NetCore;
  private _o: CellOptions;
  private _stat = REG_NONE;
  private _started = false;
  private _radioOn = true;
  private _regTimer: any = null;
  private _regCbs: Array<(stat: number) => void> = [];
  private _lostCbs: Array<() => void> = [];
  private _pdp = false;
  private _pdpTimer: any = null;
  private _nextIp = 0;

  constructor(core: NetCore, nic: WorldNic, pdn: AccessNetwork, opts?: Partial<CellOptions>) {
    this._core = core;
    this.nic = nic;
    this.pdn = pdn;
    this._o = Object.assign({}, DEFAULT_CELL);
    this.set(opts || {}, true);
    var self = this;
    nic.link.onChange(function (p, changed) {
      if (changed.indexOf('up') < 0) return;
      if (!p.up) {
        self._core.log.add('cell', 'coverage lost');
        if (self._started && self._radioOn) self._setStat(REG_SEARCHING);
      } else if (self._started && self._radioOn) {
        self._core.log.add('cell', 'coverage back');
        self._begin();
      }
    });
  }

  // ---- CellNetwork ----

  sim(): SimState {
    return this._o.sim;
  }

  pin(): string {
    return this._o.pin;
  }

  registration(): number {
    if (!this._started) this._begin();
    return this._stat;
  }

  onRegistration(cb: (stat: number) => void): () => void {
    var ls = this._regCbs;
    ls.push(cb);
    if (!this._started) this._begin();
    return function () {
      var i = ls.indexOf(cb);
      if (i >= 0) ls.splice(i, 1);
    };
  }

  csq(): number {
    return this._o.csq;
  }

  cnsmod(): number {
    return this._o.cnsmod;
  }

  activate(apn: string, user: string, password: string, cb: (err: string | null, nic: SimNic | null) => void): void {
    var self = this;
    var o = this._o;
    this._core.log.add('cell', 'pdp activate apn "' + apn + '"');
    if (this._pdpTimer) this._core.clock.clearTimeout(this._pdpTimer);
    this._pdpTimer = this._core.clock.setTimeout(function () {
      self._pdpTimer = null;
      var err: string | null = null;
      if (self._stat === REG_DENIED) err = 'registration denied';
      else if (self._stat !== REG_HOME && self._stat !== REG_ROAMING) err = 'not registered';
      else if (!self.nic.link.up) err = 'no coverage';
      else if (o.apn && apn !== o.apn) err = 'unknown apn';
      else if ((o.user !== undefined && user !== o.user) || (o.password !== undefined && password !== o.password)) err = 'authentication failed';
      if (err) {
        self._core.log.add('cell', 'pdp activate failed: ' + err);
        cb(err, null);
        return;
      }
      if (!self._pdp) {
        self._pdp = true;
        var base = self.pdn.routerIp.split('.').map(Number);
        var ip = base[0] + '.' + base[1] + '.' + (base[2] + Math.floor((10 + self._nextIp) / 250)) + '.' + ((10 + self._nextIp) % 250);
        self._nextIp = (self._nextIp + 1) % 5000;
        self.nic.attach(self.pdn);
        self.nic.assignAddress(ip);
        self._core.log.add('cell', 'pdp up ' + ip);
      }
      cb(null, self.nic);
    }, o.pdpDelayMs);
  }

  deactivate(): void {
    if (this._pdpTimer) this._core.clock.clearTimeout(this._pdpTimer);
    this._pdpTimer = null;
    if (!this._pdp) return;
    this._core.log.add('cell', 'pdp down');
    this._down();
  }

  onPdpLost(cb: () => void): () => void {
    var ls = this._lostCbs;
    ls.push(cb);
    return function () {
      var i = ls.indexOf(cb);
      if (i >= 0) ls.splice(i, 1);
    };
  }

  radio(on: boolean): void {
    if (on === this._radioOn && this._started) return;
    this._radioOn = on;
    if (on) {
      this._begin();
      return;
    }
    this._started = true;
    if (this._regTimer) this._core.clock.clearTimeout(this._regTimer);
    this._regTimer = null;
    if (this._pdp) this._down();
    this._setStat(REG_NONE);
  }

  // ---- control (tests, scenarios) ----

  /** Changes settings (sim, pin, outcome, apn, user, password, delays, csq, cnsmod). */
  set(opts: Partial<CellOptions>, quiet?: boolean): void {
    for (var k in opts) {
      var v = (opts as any)[k];
      if (v === undefined) continue;
      if (!(k in DEFAULT_CELL) && k !== 'user' && k !== 'password') throw new TypeError('cell: unknown option ' + k);
      (this._o as any)[k] = v;
      if (!quiet && k !== 'password' && k !== 'pin') this._core.log.add('cell', k + '=' + v);
    }
  }

  /** PDP context up now. */
  pdpActive(): boolean {
    return this._pdp;
  }

  /** Registers now with `stat` (1 home, 5 roaming). */
  register(stat?: number): void {
    this._started = true;
    if (this._regTimer) this._core.clock.clearTimeout(this._regTimer);
    this._regTimer = null;
    this._setStat(stat === undefined ? REG_HOME : stat);
  }

  /** Registration denied now (the PDP context goes with it). */
  deny(): void {
    this.register(REG_DENIED);
  }

  /** Registration lost, searching (the PDP context goes with it). */
  searching(): void {
    this.register(REG_SEARCHING);
  }

  /** The network drops the PDP context (the modem reports +CIPEVENT: NETWORK CLOSED UNEXPECTEDLY). */
  pdpLost(): void {
    if (!this._pdp) return;
    this._core.log.add('cell', 'pdp lost');
    this._down();
    var ls = this._lostCbs.slice();
    for (var i = 0; i < ls.length; i++) ls[i]();
  }

  /** Signal quality (+CSQ) now. */
  setSignal(csq: number): void {
    this.set({ csq: csq });
  }

  private _begin(): void {
    this._started = true;
    if (this._regTimer) this._core.clock.clearTimeout(this._regTimer);
    this._regTimer = null;
    if (this._o.sim === 'NOT INSERTED' || !this._radioOn) return;
    this._setStat(REG_SEARCHING);
    if (!this.nic.link.up) return;
    var self = this;
    this._regTimer = this._core.clock.setTimeout(function () {
      self._regTimer = null;
      if (self.nic.link.up) self._setStat(self._o.outcome);
    }, this._o.registrationDelayMs);
  }

  private _setStat(stat: number): void {
    if (stat === this._stat) return;
    this._stat = stat;
    this._core.log.add('cell', 'registration ' + stat + ' (' + (REG_NAMES[stat] || '?') + ')');
    if (stat !== REG_HOME && stat !== REG_ROAMING && this._pdp) this.pdpLost();
    var ls = this._regCbs.slice();
    for (var i = 0; i < ls.length; i++) ls[i](stat);
  }

  private _down(): void {
    this._pdp = false;
    this.nic.assignAddress(null);
    this.nic.detach();
  }
}
