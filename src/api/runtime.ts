import { Clock, TimerId } from '../../hal/clock';
import { Storage } from '../../hal/storage';
import { Log, NULL_LOG, LOG_ERROR, LOG_INFO, LOG_WARN } from '../../hal/log';
import { Emitter } from '../util/emitter';
import { IfKind } from '../net/types';
import { NetInterface } from '../net/interface';
import { ConnectionManager } from '../connection/manager';
import { Device } from './device';
import { AUTOMATIC, SEMI_AUTOMATIC, MANUAL, FEATURE_ETHERNET_DETECTION, MODES } from './constants';
import { IpConfig, has } from './extensions';
import { nameAt } from '../util/names';

/** Storage files of the runtime (names ≤ 28 characters). */
export const FEATURES_FILE = 'ns.feat';
export const IPCFG_PREFIX = 'ns.ip.';

/** How a sketch runs. */
export interface RuntimeOptions {
  /** AUTOMATIC (default), SEMI_AUTOMATIC or MANUAL. */
  mode?: number;
  /** Called once, from the event loop, right after start. */
  setup?: () => void;
  /** Called repeatedly from the event loop (never blocking it). */
  loop?: () => void;
  /** Pause between two loop() calls (default 10 ms). */
  loopIntervalMs?: number;
}

/**
 * The running core behind the API facades: the device, its connection manager, the system mode, listening
 * mode, stored features and the setup()/loop() runner. One per device; the facades reach it through their
 * ApiBinding.
 */
export class Runtime {
  readonly dev: Device;
  readonly mgr: ConnectionManager;
  readonly clock: Clock;
  readonly storage: Storage;
  readonly log: Log;
  readonly events: Emitter;
  mode: number;
  _listening = false;
  _listenMs = 0;
  _listenT: TimerId;
  _loopT: TimerId;
  _loopMs: number;
  _setup: (() => void) | null;
  _loop: (() => void) | null;
  _running = false;
  _feat: { [k: string]: number };
  _runLoop: () => void;

  constructor(dev: Device, events: Emitter, opts: RuntimeOptions, mode: number) {
    this.dev = dev;
    this.clock = dev.clock;
    this.storage = dev.storage;
    this.log = dev.log || NULL_LOG;
    this.events = events;
    var cfg = dev.config || {};
    this.mode = opts.mode !== undefined ? opts.mode : mode;
    if (this.mode !== AUTOMATIC && this.mode !== SEMI_AUTOMATIC && this.mode !== MANUAL) throw new TypeError('startRuntime: unknown system mode');
    this._loopMs = opts.loopIntervalMs !== undefined ? opts.loopIntervalMs : 10;
    if (!(this._loopMs >= 0)) throw new TypeError('startRuntime: loopIntervalMs must be a number ≥ 0');
    this._setup = opts.setup || null;
    this._loop = opts.loop || null;
    this.mgr = new ConnectionManager({
      clock: dev.clock, storage: dev.storage, log: dev.log, interfaces: dev.interfaces, cloud: dev.cloud,
      policy: cfg.policy, settings: cfg.connection, seed: cfg.seed, rnd: cfg.rnd, relay: events
    });
    var f = this.storage.readJSON(FEATURES_FILE);
    this._feat = f && typeof f === 'object' ? f : {};
    this.mgr.setEthernetDetection(!!this._feat.eth);
    var self = this;
    this._runLoop = function () {
      self._tick();
    };
    if (dev.mem) {
      dev.mem.onLow(function (f) {
        if (self._running) self._low(f);
      });
    }
  }

  /**
   * Low memory: first frees what costs nothing to rebuild (the manager's move history, the probes'
   * resolved addresses), then the cloud session's shed (QoS 1 to Storage, QoS 0 refused for a while),
   * then reports System "low_memory" {used, total, flags} with the pool after that.
   */
  _low(f: string[]): void {
    var m = this.mgr;
    if (m._moves) m._moves = [];
    m._prober.forget();
    if (this.dev.cloud.shed) this.dev.cloud.shed();
    var u = this.dev.mem!.usage();
    this.log.log(LOG_WARN, 'rt', 'low memory: ' + u.usage + ' of ' + u.total);
    this.events.emit('low_memory', 'low_memory', { used: u.usage, total: u.total, flags: f });
  }

  /** Starts the manager per the mode, then setup() and loop() from the event loop. */
  start(): void {
    if (this._running) return;
    this._running = true;
    this.log.log(LOG_INFO, 'rt', 'start ' + nameAt(MODES, this.mode));
    this.mgr.setAutoReconnect(this.mode !== MANUAL);
    this.mgr.start();
    if (this.mode === AUTOMATIC) this.mgr.connect(null);
    var self = this;
    this._loopT = this.clock.setTimeout(function () {
      self._loopT = undefined;
      if (!self._running) return;
      self._call(self._setup);
      // Next loop() after loopMs.
      if (self._running && self._loop) self._loopT = self.clock.setTimeout(self._runLoop, self._loopMs);
    }, 0);
  }

  stop(): void {
    this._running = false;
    this.clock.clearTimeout(this._loopT);
    this.clock.clearTimeout(this._listenT);
    this._loopT = undefined;
    this.mgr.stop();
  }

  _tick(): void {
    this._loopT = undefined;
    if (!this._running) return;
    // A blocking policy (the Particle-like baseline) stalls the application while it probes.
    if (!this.mgr.blocking()) this._call(this._loop);
    // Next loop() after loopMs.
    if (this._running && this._loop) this._loopT = this.clock.setTimeout(this._runLoop, this._loopMs);
  }

  _call(fn: (() => void) | null): void {
    if (!fn) return;
    try {
      fn();
    } catch (e) {
      this.log.log(LOG_ERROR, 'rt', 'sketch error: ' + ((e as any) && (e as any).message));
      this.events.emit('loop_error', 'loop_error', e);
    }
  }

  /** The first interface of `kind`, or null. */
  iface(kind: IfKind): NetInterface | null {
    var l = this.dev.interfaces;
    for (var i = 0; i < l.length; i++) if (l[i].kind === kind) return l[i];
    return null;
  }

  /** Interfaces of `kind` (all when null). */
  ifaces(kind: IfKind | null): NetInterface[] {
    if (kind === null) return this.dev.interfaces.slice();
    var i = this.iface(kind);
    return i ? [i] : [];
  }

  // ---- listening mode (system-wide, as on Particle)

  listen(on: boolean): void {
    var self = this;
    this.clock.clearTimeout(this._listenT);
    this._listenT = undefined;
    if (on === this._listening) {
      if (!on) return;
    } else {
      this._listening = on;
      this.mgr.pause(on);
      this.events.emit(on ? 'setup_begin' : 'setup_end', on ? 'setup_begin' : 'setup_end', 0);
    }
    if (on && this._listenMs > 0) {
      this._listenT = this.clock.setTimeout(function () {
        self._listenT = undefined;
        self.listen(false);
      }, this._listenMs);
    }
  }

  listening(): boolean {
    return this._listening;
  }

  setListenTimeout(ms: number): void {
    this._listenMs = ms;
    if (this._listening) this.listen(true);
  }

  getListenTimeout(): number {
    return this._listenMs;
  }

  // ---- features

  enableFeature(f: number, on: boolean): void {
    if (f !== FEATURE_ETHERNET_DETECTION) throw new TypeError('System.enableFeature: unknown feature ' + f);
    if (on) this._feat.eth = 1;
    else delete this._feat.eth;
    this.storage.writeJSON(FEATURES_FILE, this._feat);
    this.mgr.setEthernetDetection(on);
  }

  featureEnabled(f: number): boolean {
    if (f !== FEATURE_ETHERNET_DETECTION) throw new TypeError('System.featureEnabled: unknown feature ' + f);
    return !!this._feat.eth;
  }

  // ---- address configuration (forwarded to the driver when it can; kept in Storage otherwise)

  setIpConfig(iface: NetInterface, c: IpConfig): void {
    if (has(iface, 'setConfig')) (iface as any).setConfig(c);
    else if (c.dhcp) this.storage.erase(IPCFG_PREFIX + iface.id);
    else this.storage.writeJSON(IPCFG_PREFIX + iface.id, c);
  }

  getIpConfig(iface: NetInterface): IpConfig {
    if (has(iface, 'getConfig')) return (iface as any).getConfig();
    var c = this.storage.readJSON(IPCFG_PREFIX + iface.id);
    return c && typeof c === 'object' ? c : { dhcp: true };
  }

  /** System.clearConfiguration: failover sequence, preference, stored address configurations. */
  clearConfiguration(): void {
    this.mgr.clearConfiguration();
    var l = this.dev.interfaces;
    for (var i = 0; i < l.length; i++) {
      this.storage.erase(IPCFG_PREFIX + l[i].id);
      if (has(l[i], 'setConfig')) (l[i] as any).setConfig({ dhcp: true });
    }
  }

  // ---- waitFor

  /**
   * Calls `cb(true)` as soon as `cond()` holds (checked now, on every connection event and every
   * `pollMs`), or `cb(false)` after `ms` (0 = no limit). Never blocks; `cb` always comes asynchronously.
   */
  waitFor(cond: () => boolean, ms: number, cb: (ok: boolean) => void, pollMs: number): void {
    var self = this;
    var done = false;
    var pollT: TimerId;
    var endT: TimerId;
    var finish = function (ok: boolean) {
      if (done) return;
      done = true;
      self.clock.clearTimeout(pollT);
      self.clock.clearTimeout(endT);
      self.mgr.events.off('state', check);
      self.mgr.events.off('cloud_status', check);
      self.mgr.events.off('network_status', check);
      cb(ok);
    };
    var check = function () {
      var ok = false;
      try {
        ok = !!cond();
      } catch (e) {
        ok = false;
      }
      if (ok) {
        // Out of the event that made it true: callers may reconnect from cb.
        self.clock.setTimeout(function () {
          finish(true);
        }, 0);
      }
      return ok;
    };
    var poll = function () {
      if (done) return;
      if (!check()) pollT = self.clock.setTimeout(poll, pollMs);
    };
    this.mgr.events.on('state', check);
    this.mgr.events.on('cloud_status', check);
    this.mgr.events.on('network_status', check);
    if (ms > 0) {
      endT = this.clock.setTimeout(function () {
        finish(!!cond());
      }, ms);
    }
    poll();
  }
}
