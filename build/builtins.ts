/**
 * Modules built into Espruino 2v29 for the ESP32 (shared/ESPRUINO.md). A `require` of one of these is left
 * as it is by the bundler; every other `require` must resolve to a file of ours.
 */
export var ESP32_BUILTIN_MODULES = [
  'timer', 'Flash', 'Storage', 'heatshrink', 'fs', 'net', 'dgram', 'tls', 'http', 'NetworkJS', 'Wifi',
  'TelnetServer', 'crypto', 'neopixel',
];

/** The package name a sketch imports the runtime by (package.json "name"); resolves to src/index.ts. */
export var PACKAGE_NAME = 'netswitch';

export function isBuiltinModule(name: string): boolean {
  return ESP32_BUILTIN_MODULES.indexOf(name) >= 0;
}
