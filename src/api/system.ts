import { Emitter } from '../util/emitter';
import { FacadeHost } from './network-class';
import { Runtime } from './runtime';
import { SYSTEM_EVENT_LIST } from './constants';
import { inList } from '../util/names';

/** What System needs of its binding. */
export interface SystemHost extends FacadeHost {
  readonly events: Emitter;
  /** The mode set before start (SYSTEM_MODE), or the running one. */
  mode(): number;
}

/** Splits "a b" / "a+b" / "all_events" into known event names; TypeError for an unknown one. */
function eventNames(events: any): string[] {
  if (typeof events !== 'string' || !events.length) throw new TypeError('System.on: an event name is required');
  var parts = events.split('+').join(' ').split(' ');
  var out: string[] = [];
  for (var i = 0; i < parts.length; i++) {
    var n = parts[i];
    if (!n) continue;
    if (n === 'all_events') return SYSTEM_EVENT_LIST.split(',');
    if (!inList(SYSTEM_EVENT_LIST, n)) throw new TypeError('System.on: unknown event "' + n + '"');
    out.push(n);
  }
  return out;
}

/**
 * System: events, features, configuration, the system mode and waitFor. Handlers get (event, data):
 * network_status / cloud_status → Particle's numeric values; interface_status → {id, kind, state, reason};
 * cloud_interface_changed → {from, to, reason}; setup_begin / setup_end (listening mode);
 * low_memory → {used, total, flags} (blocks, after the runtime shed what it could).
 */
export class SystemClass {
  readonly _h: SystemHost;

  constructor(host: SystemHost) {
    this._h = host;
  }

  /** Subscribes `handler(event, data)`; works before the runtime starts. */
  on(events: string, handler: (event: string, data: any) => void): void {
    if (typeof handler !== 'function') throw new TypeError('System.on: a handler function is required');
    var names = eventNames(events);
    for (var i = 0; i < names.length; i++) this._h.events.on(names[i], handler);
  }

  off(events: string, handler: (event: string, data: any) => void): void {
    var names = eventNames(events);
    for (var i = 0; i < names.length; i++) this._h.events.off(names[i], handler);
  }

  /** FEATURE_ETHERNET_DETECTION; stored, survives reboot. */
  enableFeature(feature: number): void {
    if (typeof feature !== 'number') throw new TypeError('System.enableFeature: a feature constant is required');
    this._h.runtime().enableFeature(feature, true);
  }

  disableFeature(feature: number): void {
    if (typeof feature !== 'number') throw new TypeError('System.disableFeature: a feature constant is required');
    this._h.runtime().enableFeature(feature, false);
  }

  featureEnabled(feature: number): boolean {
    if (typeof feature !== 'number') throw new TypeError('System.featureEnabled: a feature constant is required');
    return this._h.runtime().featureEnabled(feature);
  }

  /** Forgets the stored network configuration: failover sequence, preference, static addresses. */
  clearConfiguration(): void {
    this._h.runtime().clearConfiguration();
  }

  /** AUTOMATIC, SEMI_AUTOMATIC or MANUAL. */
  mode(): number {
    return this._h.mode();
  }

  /** Milliseconds on the system clock. */
  millis(): number {
    return Math.floor(this._h.runtime().clock.now());
  }

  /**
   * Particle's waitFor without blocking (Espruino cannot block): `cb(true)` once `condition()` holds,
   * `cb(false)` after `ms` milliseconds (0 = wait forever). `cb` always comes from the event loop.
   *   System.waitFor(Particle.disconnected, 10000, function (ok) { Particle.connect(); });
   */
  waitFor(condition: () => boolean, ms: number, cb?: (ok: boolean) => void): void {
    if (typeof condition !== 'function') throw new TypeError('waitFor: a condition function is required');
    if (typeof ms !== 'number' || !(ms >= 0)) throw new TypeError('waitFor: ms must be a number ≥ 0');
    if (cb !== undefined && typeof cb !== 'function') throw new TypeError('waitFor: cb must be a function');
    this._h.runtime().waitFor(condition, ms, cb || function () {}, 20);
  }

  /** waitFor without a time limit. */
  waitUntil(condition: () => boolean, cb?: (ok: boolean) => void): void {
    this.waitFor(condition, 0, cb);
  }
}
