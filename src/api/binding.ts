import { Emitter } from '../util/emitter';
import { Device } from './device';
import { Runtime, RuntimeOptions } from './runtime';
import { NetworkClass, NetworkAllClass, WiFiClass, CellularClass } from './network-class';
import { ParticleClass } from './particle';
import { SystemClass } from './system';
import { AUTOMATIC, SEMI_AUTOMATIC, MANUAL } from './constants';

/**
 * One set of API facades (Particle, Network, WiFi, Cellular, Ethernet, System) and the runtime they are
 * bound to. The facades exist before a device is bound (a sketch's top level may call System.on or
 * SYSTEM_MODE); calls that need the device throw until `start(device)`. Tests and multi-device
 * simulations make one binding per device with `createApi()`; src/index.ts holds the one a sketch imports.
 */
export class ApiBinding {
  readonly events = new Emitter();
  readonly Network: NetworkAllClass;
  readonly Ethernet: NetworkClass;
  readonly WiFi: WiFiClass;
  readonly Cellular: CellularClass;
  readonly Particle: ParticleClass;
  readonly System: SystemClass;
  _rt: Runtime | null = null;
  _mode = AUTOMATIC;

  constructor() {
    this.Network = new NetworkAllClass(this);
    this.Ethernet = new NetworkClass(this, 'ethernet');
    this.WiFi = new WiFiClass(this);
    this.Cellular = new CellularClass(this);
    this.Particle = new ParticleClass(this);
    this.System = new SystemClass(this);
  }

  /** The bound runtime; throws when no device is bound yet. */
  runtime(): Runtime {
    if (!this._rt) throw new Error('netswitch: no device bound yet (the board calls startRuntime first)');
    return this._rt;
  }

  /** True once a device is bound. */
  started(): boolean {
    return this._rt !== null;
  }

  mode(): number {
    return this._rt ? this._rt.mode : this._mode;
  }

  /** SYSTEM_MODE(mode): before start only. */
  setMode(mode: number): void {
    if (mode !== AUTOMATIC && mode !== SEMI_AUTOMATIC && mode !== MANUAL) throw new TypeError('SYSTEM_MODE: AUTOMATIC, SEMI_AUTOMATIC or MANUAL');
    if (this._rt) throw new Error('SYSTEM_MODE: set it before the runtime starts');
    this._mode = mode;
  }

  /** Binds the facades to `device` and starts it: the manager per the mode, then setup() and loop(). */
  start(device: Device, opts?: RuntimeOptions): Runtime {
    if (this._rt) throw new Error('startRuntime: already started');
    if (!device || !device.clock || !device.storage || !device.cloud || !Array.isArray(device.interfaces)) {
      throw new TypeError('startRuntime: a Device {clock, storage, interfaces, cloud} is required');
    }
    var rt = new Runtime(device, this.events, opts || {}, this._mode);
    this._rt = rt;
    rt.start();
    return rt;
  }

  /** Stops and unbinds (tests, simulator teardown). */
  stop(): void {
    if (this._rt) this._rt.stop();
    this._rt = null;
  }
}

/** A fresh, unbound set of facades. */
export function createApi(): ApiBinding {
  return new ApiBinding();
}
