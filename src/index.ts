/**
 * netswitch: the package's public entry. A sketch imports the facades from here:
 *
 *   import { Particle, Network, WiFi, Ethernet, Cellular, System } from 'netswitch';
 *
 * and a board binds them to its Device with `startRuntime(device, {setup, loop})`. This module holds the
 * one ApiBinding a firmware image has (the only module-level instance in src/); everything else is made
 * per device (createApi() for tests and simulations of several devices).
 */
import { ApiBinding, createApi } from './api/binding';
import { Device, DeviceConfig } from './api/device';
import { Runtime, RuntimeOptions } from './api/runtime';

var API = createApi();

export var Particle = API.Particle;
export var Network = API.Network;
export var WiFi = API.WiFi;
export var Cellular = API.Cellular;
export var Ethernet = API.Ethernet;
export var System = API.System;

/** Binds the facades above to the board's device and runs the sketch. */
export function startRuntime(device: Device, opts?: RuntimeOptions): Runtime {
  return API.start(device, opts);
}

/** Stops the runtime and unbinds the facades (simulator teardown). */
export function stopRuntime(): void {
  API.stop();
}

/** Particle's SYSTEM_MODE(mode), called at a sketch's top level before the board starts the runtime. */
export function SYSTEM_MODE(mode: number): void {
  API.setMode(mode);
}

/** Particle's waitFor, non-blocking: waitFor(Particle.connected, 10000, function (ok) { … }). */
export function waitFor(condition: () => boolean, ms: number, cb?: (ok: boolean) => void): void {
  API.System.waitFor(condition, ms, cb);
}

export * from './api/constants';
export { NetworkInterfaceConfig } from './api/network-config';
export { NetworkClass, NetworkAllClass, WiFiClass, CellularClass } from './api/network-class';
export { ParticleClass } from './api/particle';
export { SystemClass } from './api/system';
export { ApiBinding, createApi, Device, DeviceConfig, Runtime, RuntimeOptions };
export { ConnectionManager } from './connection/manager';
export { ConnectionPolicy, DEFAULT_SETTINGS } from './connection/policy';
export { CloudLink } from './connection/cloud-link';
export { NetInterface } from './net/interface';
