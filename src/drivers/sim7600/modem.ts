import { Clock, TimerId } from '../../../hal/clock';
import { Uart } from '../../../hal/uart';
import { GpioPin } from '../../../hal/gpio';
import { Log, NULL_LOG, LOG_INFO, LOG_WARN } from '../../../hal/log';
import { Emitter } from '../../util/emitter';
import { AtEngine, AtCmd, AT_OK, AT_CME_ERROR, AT_TIMEOUT, AT_ABORTED } from './at-engine';
import { atFields, atInt, csqToDbm, hasPrefix, withDefaults } from './at-util';
import { nameAt } from '../../util/names';

/** SIM states (AT+CPIN). */
export const SIM_UNKNOWN = 0;
export const SIM_READY = 1;
export const SIM_PIN = 2;
export const SIM_PUK = 3;
export const SIM_ABSENT = 4;
export const SIM_NOT_READY = 5;
/** The SIM states' names, in SIM_* order (nameAt(SIM_STATES, st)). */
export var SIM_STATES = 'unknown,ready,sim_pin,sim_puk,not_inserted,not_ready';

/** Registration stat values of +CREG / +CGREG / +CEREG (3GPP TS 27.007). */
export const REG_NONE = 0;
export const REG_HOME = 1;
export const REG_SEARCHING = 2;
export const REG_DENIED = 3;
export const REG_UNKNOWN = 4;
export const REG_ROAMING = 5;

/** Indices into `Modem.reg`. */
export const RK_CREG = 0;
export const RK_CGREG = 1;
export const RK_CEREG = 2;
/** The URC / answer prefix of registration kind k (RK_*). */
function regPrefix(k: number): string {
  return k === RK_CREG ? '+CREG:' : k === RK_CGREG ? '+CGREG:' : '+CEREG:';
}

/** Timings of the modem, all in ms. Every wait is bounded by one of these. */
export interface ModemTimings {
  /** PWRKEY press that turns the modem on (SIM7600: ~500 typ). */
  pwrOnPulseMs: number;
  /** PWRKEY press that turns it off (SIM7600: ≥ 2500). */
  pwrOffPulseMs: number;
  /** Longest boot: from the on pulse to an answer to AT (or STATUS high). */
  bootMs: number;
  /** Settle time after the off pulse (or the longest wait for STATUS low). */
  offMs: number;
  /** Timeout of one AT during sync; a new AT follows at once. */
  syncTimeoutMs: number;
  /** Longest AT sync when the modem is believed on. */
  syncMs: number;
  /** Default command timeout. */
  cmdMs: number;
  /** AT+CFUN timeout. */
  cfunMs: number;
}

export var DEFAULT_MODEM_TIMINGS: ModemTimings = {
  pwrOnPulseMs: 500,
  pwrOffPulseMs: 2600,
  bootMs: 30000,
  offMs: 3000,
  syncTimeoutMs: 500,
  syncMs: 5000,
  cmdMs: 5000,
  cfunMs: 10000,
};

export interface ModemOptions {
  uart: Uart;
  clock: Clock;
  log?: Log;
  /** PWRKEY line (through the board's driver stage). */
  pwrkey: GpioPin;
  /** The level that presses PWRKEY (false: the module pin itself, active low; true: boards with an inverting transistor). */
  pwrkeyActive?: boolean;
  /** Optional STATUS line (high while the modem runs). */
  status?: GpioPin;
  /** Timing overrides. */
  timings?: Partial<ModemTimings>;
  /** AT engine limits. */
  maxLine?: number;
  maxQueue?: number;
}

const PW_OFF = 0;
const PW_PRESS_ON = 1;
const PW_BOOT = 2;
const PW_SYNC = 3;
const PW_INIT = 4;
const PW_ON = 5;
const PW_PRESS_OFF = 6;
const PW_SETTLE = 7;

/**
 * The 3GPP part of a cellular modem (TinyGSM's shared base): power through PWRKEY, AT sync, echo and
 * error mode, SIM state (+CPIN), registration (+CREG/+CGREG/+CEREG, URCs and queries), signal (+CSQ),
 * radio function (+CFUN). Handlers of unsolicited lines only record facts and emit events.
 *
 * Events: "sim" (SIM_*), "reg" (combined REG_* stat), "boot" (RDY seen), "power" (on: boolean).
 */
export class Modem {
  readonly events = new Emitter();
  readonly at: AtEngine;
  /** Current SIM_* state. */
  sim = SIM_UNKNOWN;
  /** Last stat per registration kind, indexed RK_CREG / RK_CGREG / RK_CEREG. */
  reg = [0, 0, 0];
  /** Last +CSQ rssi (99 unknown). */
  rssi = 99;
  /** PB DONE seen since boot. */
  pbDone = false;
  _clk: Clock;
  _log: Log;
  _pk: GpioPin;
  _ka: boolean;
  _ps: GpioPin | undefined;
  _t: ModemTimings;
  _pw = PW_OFF;
  _ptm: TimerId;
  _pcb?: ((ok: boolean) => void) | null;
  _pco: any;
  _dl = 0;
  _seqN = 0;
  _seqBad = 0;
  _seqCb?: ((ok: boolean) => void) | null;
  _seqO: any;
  /** Number of the running sequence: results of an older one are ignored. */
  _seqId = 0;
  /** This power-on found STATUS high (no pulse): a silent modem then is hung, not absent. */
  _hot = false;
  /** A power cycle of a hung modem is under way (at most one per power-on). */
  _cyc = false;
  _cycCb?: ((ok: boolean) => void) | null;
  _cycO: any;

  constructor(o: ModemOptions) {
    if (!o || !o.uart || !o.clock || !o.pwrkey) throw new TypeError('Modem needs {uart, clock, pwrkey}');
    this._clk = o.clock;
    this._log = o.log || NULL_LOG;
    this._pk = o.pwrkey;
    this._ka = !!o.pwrkeyActive;
    this._ps = o.status;
    this._t = withDefaults(DEFAULT_MODEM_TIMINGS, o.timings);
    // The engine calls the commands' completions (_onCpin, _onSeq, ...) and _urc as methods of this modem.
    this.at = new AtEngine({ uart: o.uart, clock: o.clock, log: o.log, maxLine: o.maxLine, maxQueue: o.maxQueue, owner: this, urc: this._urc });
    this._pk.write(!this._ka);
    // Bound once: the power timer's callback.
    this._onPower = this._onPower.bind(this);
  }

  /**
   * An unsolicited line (the AT engine's `urc`): records the fact and emits its event; true when the line
   * is known (lines of no interest, such as SMS DONE or RING, are known and ignored). Code, not a table of
   * prefixes and closures: on the board it stays in flash.
   */
  _urc(l: string): boolean {
    if (hasPrefix(l, '+CPIN:')) this._setSim(cpinState(l));
    else if (hasPrefix(l, '+CREG:')) this._regUrc(RK_CREG, l);
    else if (hasPrefix(l, '+CGREG:')) this._regUrc(RK_CGREG, l);
    else if (hasPrefix(l, '+CEREG:')) this._regUrc(RK_CEREG, l);
    else if (hasPrefix(l, 'RDY')) this.events.emit('boot');
    else if (hasPrefix(l, 'PB DONE')) this.pbDone = true;
    else {
      return hasPrefix(l, 'SMS DONE') || hasPrefix(l, '+CTZV:') || hasPrefix(l, '*PSUTTZ') || hasPrefix(l, 'DST:') ||
        hasPrefix(l, '+CMTI:') || hasPrefix(l, '+CFUN:') || hasPrefix(l, 'NORMAL POWER DOWN') || hasPrefix(l, '+CGEV:') ||
        hasPrefix(l, '+CUSD:') || hasPrefix(l, 'RING') || hasPrefix(l, 'NO CARRIER');
    }
    return true;
  }

  /** A registration URC of kind `k` (RK_*). */
  _regUrc(k: number, l: string): void {
    // A URC carries <stat> first (n=1) ; tolerate the query form (<n>,<stat>) when it has the n=1 pair shape.
    var f = atFields(l, regPrefix(k));
    var st = atInt(f[0]);
    if (f.length === 2 && f[1].length === 1) st = atInt(f[1]);
    if (st >= 0) this._setReg(k, st);
  }

  /** True when the modem is believed to be powered and answering. */
  isOn(): boolean {
    return this._pw === PW_ON;
  }

  /**
   * Powers the modem on: a PWRKEY pulse (skipped when STATUS says it runs), then AT until OK (bounded by
   * bootMs), then ATE0, AT+CMEE=1 and the registration URCs (AT+CREG=1, AT+CGREG=1, AT+CEREG=1).
   * `cb(false)` when it never answered (no hardware, or silent). Every callback of the modem is called
   * with `this` = the optional `o` after it (so an object can pass its own methods).
   */
  powerOn(cb: (ok: boolean) => void, o?: any): void {
    this._clk.clearTimeout(this._ptm);
    this._pcb = cb;
    this._pco = o;
    this.sim = SIM_UNKNOWN;
    this.reg = [0, 0, 0];
    this.pbDone = false;
    this._hot = !!(this._ps && this._ps.read());
    if (this._hot) {
      this._dl = this._clk.now() + this._t.syncMs;
      this._power(PW_SYNC);
      this._sync();
      return;
    }
    this._pk.write(this._ka);
    this._power(PW_PRESS_ON);
    this._ptm = this._clk.setTimeout(this._onPower, this._t.pwrOnPulseMs);
  }

  /** Powers off with a long PWRKEY press, then waits for STATUS low (or offMs). Pending commands abort. */
  powerOff(cb: (ok: boolean) => void, o?: any): void {
    this._clk.clearTimeout(this._ptm);
    var prev = this._pcb;
    var prevO = this._pco;
    this._pcb = cb;
    this._pco = o;
    if (prev && (prev !== cb || prevO !== o)) prev.call(prevO, false);
    this.at.flush(AT_ABORTED);
    if (this._ps && !this._ps.read()) {
      this._power(PW_SETTLE);
      this._ptm = this._clk.setTimeout(this._onPower, 0);
      return;
    }
    this._pk.write(this._ka);
    this._power(PW_PRESS_OFF);
    this._ptm = this._clk.setTimeout(this._onPower, this._t.pwrOffPulseMs);
  }

  /** Re-synchronises a modem believed on, without a PWRKEY pulse: AT until OK (syncMs), then the init commands. */
  resync(cb: (ok: boolean) => void, o?: any): void {
    this._clk.clearTimeout(this._ptm);
    this._pcb = cb;
    this._pco = o;
    this._dl = this._clk.now() + this._t.syncMs;
    this._pw = PW_SYNC;
    this._sync();
  }

  /** The power cycle of a hung modem ended: power on normally (a PWRKEY pulse now that STATUS is low). */
  _onCycled(): void {
    var cb = this._cycCb;
    this._cycCb = null;
    if (cb) this.powerOn(cb, this._cycO);
  }

  /**
   * Drops every pending power step and sequence without calling their callbacks (the caller moved on);
   * releases PWRKEY. Queued AT commands are left to the caller (`at.flush`).
   */
  cancel(): void {
    this._clk.clearTimeout(this._ptm);
    this._ptm = undefined;
    this._pcb = null;
    this._cyc = false;
    this._cycCb = null;
    this._seqCb = null;
    this._pk.write(!this._ka);
    // A cut-short on press left it off; a boot or sync in progress left it on; a shutdown in progress, off.
    var p = this._pw;
    if (p !== PW_ON && p !== PW_OFF) this._pw = p === PW_BOOT || p === PW_SYNC || p === PW_INIT ? PW_ON : PW_OFF;
  }

  /** Forgets the power state (the modem is considered off) without touching PWRKEY. */
  forget(): void {
    this.cancel();
    this.at.flush(AT_ABORTED);
    this._power(PW_OFF);
  }

  _power(p: number): void {
    if (p === this._pw) return;
    var wasOn = this._pw === PW_ON;
    this._pw = p;
    if (p === PW_ON) this.events.emit('power', true);
    else if (wasOn) this.events.emit('power', false);
  }

  _onPower(): void {
    this._ptm = undefined;
    var p = this._pw;
    if (p === PW_PRESS_ON) {
      this._pk.write(!this._ka);
      this._dl = this._clk.now() + this._t.bootMs;
      this._power(this._ps ? PW_BOOT : PW_SYNC);
      if (this._ps) this._ptm = this._clk.setTimeout(this._onPower, 100);
      else this._sync();
    } else if (p === PW_BOOT) {
      if (this._ps!.read()) {
        this._dl = this._clk.now() + this._t.syncMs + this._t.bootMs;
        this._power(PW_SYNC);
        this._sync();
      } else if (this._clk.now() >= this._dl) this._powerDone(false);
      else this._ptm = this._clk.setTimeout(this._onPower, 100);
    } else if (p === PW_SYNC) {
      this._sync();
    } else if (p === PW_PRESS_OFF) {
      this._pk.write(!this._ka);
      this._dl = this._clk.now() + this._t.offMs;
      this._power(PW_SETTLE);
      this._ptm = this._clk.setTimeout(this._onPower, this._ps ? 100 : this._t.offMs);
    } else if (p === PW_SETTLE) {
      if (this._ps && this._ps.read() && this._clk.now() < this._dl) {
        this._ptm = this._clk.setTimeout(this._onPower, 100);
        return;
      }
      this.at.flush(AT_ABORTED);
      this.sim = SIM_UNKNOWN;
      this.reg = [0, 0, 0];
      this._power(PW_OFF);
      var cb = this._pcb;
      this._pcb = null;
      if (cb) cb.call(this._pco, true);
    }
  }

  /** AT (Attention) — sync: repeated until OK or the deadline. */
  _sync(): void {
    if (!this.at.send({ c: 'AT', t: this._t.syncTimeoutMs, cb: this._onSync })) this._powerDone(false);
  }

  _onSync(res: number): void {
    if (this._pw !== PW_SYNC || res === AT_ABORTED) return;
    if (res === AT_OK) {
      this._power(PW_INIT);
      // ATE0 (echo off), AT+CMEE=1 (numeric +CME ERROR), AT+CREG=1 / AT+CGREG=1 / AT+CEREG=1 (stat URCs).
      this.seq(['ATE0', 'AT+CMEE=1', 'AT+CREG=1', 'AT+CGREG=1', 'AT+CEREG=1'], this._t.cmdMs, this._onInitDone, this);
      return;
    }
    if (this._clk.now() >= this._dl) this._powerDone(false);
    else if (res === AT_TIMEOUT) this._sync();
    else this._ptm = this._clk.setTimeout(this._onPower, this._t.syncTimeoutMs);
  }

  _onInitDone(ok: boolean): void {
    if (this._pw !== PW_INIT) return;
    this._powerDone(ok);
  }

  _powerDone(ok: boolean): void {
    this._clk.clearTimeout(this._ptm);
    this._ptm = undefined;
    if (!ok && this._hot && !this._cyc) {
      // STATUS says it runs, yet no AT answer: the modem hung. Power-cycle it once (long PWRKEY press,
      // STATUS low, then a normal power-on) before reporting it silent.
      this._cyc = true;
      this._cycCb = this._pcb;
      this._cycO = this._pco;
      this._pcb = null;
      this._log.log(LOG_WARN, 'modem', 'on but silent: power cycle');
      this.powerOff(this._onCycled, this);
      return;
    }
    this._cyc = false;
    this._power(ok ? PW_ON : PW_OFF);
    var cb = this._pcb;
    this._pcb = null;
    if (cb) cb.call(this._pco, ok);
  }

  /**
   * Runs simple commands in order; `cb(ok)` after the last, ok when none failed. One sequence at a time
   * (a new one replaces the callback of the old).
   */
  seq(cmds: string[], t: number, cb: (ok: boolean) => void, o?: any): void {
    this._seqN = cmds.length;
    this._seqBad = 0;
    this._seqCb = cb;
    this._seqO = o;
    var id = ++this._seqId;
    for (var i = 0; i < cmds.length; i++) {
      var c = cmds[i];
      var sec = c.indexOf('AT+CPIN=') === 0 || c.indexOf('AT+CGAUTH=') === 0;
      if (!this.at.send({ c: c, t: t, s: sec, cb: this._onSeq, x: id })) {
        this._seqBad++;
        this._seqN--;
      }
    }
    if (this._seqN <= 0) {
      this._seqCb = null;
      cb.call(o, false);
    }
  }

  _onSeq(res: number, r: AtCmd): void {
    if (r.x !== this._seqId || !this._seqCb) return;
    if (res !== AT_OK) this._seqBad++;
    if (--this._seqN > 0) return;
    var cb = this._seqCb;
    this._seqCb = null;
    cb.call(this._seqO, this._seqBad === 0);
  }

  /** AT+CPIN? — reads the SIM state; `cb(SIM_*)`. */
  readSim(cb: (state: number) => void, o?: any): void {
    if (!this.at.send({ c: 'AT+CPIN?', t: this._t.cmdMs, p: '+CPIN:', cb: this._onCpin, y: cb, o: o })) cb.call(o, SIM_UNKNOWN);
  }

  _onCpin(res: number, r: AtCmd): void {
    var st = SIM_UNKNOWN;
    if (res === AT_OK && r.l) st = cpinState(r.l[r.l.length - 1]);
    // +CME ERROR 10 = SIM not inserted, 13 = SIM failure, 14 = SIM busy (27.007 §9.2).
    else if (res === AT_CME_ERROR) st = r.e === '10' || r.e === '13' ? SIM_ABSENT : r.e === '14' ? SIM_NOT_READY : SIM_UNKNOWN;
    if (res !== AT_ABORTED && st !== SIM_UNKNOWN) this._setSim(st);
    r.y.call(r.o, st);
  }

  /** AT+CPIN="<pin>" — enters the PIN (never logged); `cb(ok)`. +CPIN: READY follows as a URC. */
  enterPin(pin: string, cb: (ok: boolean) => void, o?: any): void {
    if (!this.at.send({ c: 'AT+CPIN="' + pin + '"', t: this._t.cmdMs, s: true, cb: this._onSimple, y: cb, o: o })) cb.call(o, false);
  }

  _onSimple(res: number, r: AtCmd): void {
    r.y.call(r.o, res === AT_OK);
  }

  /** AT+CFUN=<n> — 0 radio off (minimum functionality), 1 full functionality; `cb(ok)`. */
  cfun(n: number, cb: (ok: boolean) => void, o?: any): void {
    if (n === 0) this.reg = [0, 0, 0];
    if (!this.at.send({ c: 'AT+CFUN=' + n, t: this._t.cfunMs, cb: this._onSimple, y: cb, o: o })) cb.call(o, false);
  }

  /** AT+CEREG? / AT+CGREG? / AT+CREG? — queries registration; `cb(regStat())` after the last. */
  readReg(cb: (stat: number) => void, o?: any): void {
    var ok = true;
    for (var k = 2; k >= 0 && ok; k--) {
      var p = regPrefix(k);
      ok = this.at.send({ c: 'AT' + p.substr(0, p.length - 1) + '?', t: this._t.cmdMs, p: p, cb: this._onRegQ, x: k, y: k === 0 ? cb : null, o: o });
    }
    if (!ok) cb.call(o, this.regStat());
  }

  _onRegQ(res: number, r: AtCmd): void {
    if (res === AT_OK && r.l) {
      var f = atFields(r.l[r.l.length - 1], regPrefix(r.x));
      var st = atInt(f.length > 1 ? f[1] : f[0]);
      if (st >= 0) this._setReg(r.x, st);
    }
    if (r.y) r.y.call(r.o, res === AT_TIMEOUT ? -1 : this.regStat());
  }

  /**
   * Packet-domain registration from CEREG (LTE) and CGREG (2G/3G): HOME or ROAMING when either is,
   * DENIED when either is denied and none registered, SEARCHING when either searches, else NONE.
   */
  regStat(): number {
    var e = this.reg[RK_CEREG];
    var g = this.reg[RK_CGREG];
    if (e === REG_HOME || e === REG_ROAMING) return e;
    if (g === REG_HOME || g === REG_ROAMING) return g;
    if (e === REG_DENIED || g === REG_DENIED) return REG_DENIED;
    if (e === REG_SEARCHING || g === REG_SEARCHING) return REG_SEARCHING;
    return REG_NONE;
  }

  /** AT+CSQ — signal quality; `cb(rssi)` (99 unknown). */
  readCsq(cb: (rssi: number) => void, o?: any): void {
    if (!this.at.send({ c: 'AT+CSQ', t: this._t.cmdMs, p: '+CSQ:', cb: this._onCsq, y: cb, o: o })) cb.call(o, 99);
  }

  _onCsq(res: number, r: AtCmd): void {
    if (res === AT_OK && r.l) {
      var v = atInt(atFields(r.l[0], '+CSQ:')[0]);
      if (v >= 0) this.rssi = v;
    }
    r.y.call(r.o, this.rssi);
  }

  /** Last signal in dBm, undefined when unknown. */
  dbm(): number | undefined {
    return csqToDbm(this.rssi);
  }

  _setSim(st: number): void {
    if (st === this.sim) return;
    this.sim = st;
    this._log.log(LOG_INFO, 'cell', 'SIM ' + nameAt(SIM_STATES, st));
    this.events.emit('sim', st);
  }

  _setReg(k: number, st: number): void {
    var before = this.regStat();
    this.reg[k] = st;
    var after = this.regStat();
    if (after !== before) this.events.emit('reg', after);
  }
}

/** +CPIN line → SIM_* state. */
export function cpinState(line: string): number {
  var s = line.substr(6).trim();
  if (s === 'READY') return SIM_READY;
  if (s === 'SIM PIN') return SIM_PIN;
  if (s === 'SIM PUK') return SIM_PUK;
  if (s === 'NOT INSERTED' || s === 'SIM REMOVED') return SIM_ABSENT;
  if (s === 'NOT READY') return SIM_NOT_READY;
  return SIM_UNKNOWN;
}
