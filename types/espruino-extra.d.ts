/**
 * What firmware code may use of Espruino 2v29 that @types/espruino does not declare. Firmware is
 * type-checked with these and `types: ["espruino"]` only, so a Node global used in src/ fails `npm run check`.
 */

declare function setTimeout(fn: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function setInterval(fn: (...args: any[]) => void, ms?: number, ...args: any[]): any;

interface EspruinoConsole {
  log(...args: any[]): void;
}
declare var console: EspruinoConsole;

interface EspruinoMemory {
  free: number;
  usage: number;
  total: number;
  history: number;
  gc: number;
  gctime: number;
  blocksize?: number;
}
declare var process: {
  version: string;
  env: { [k: string]: any };
  memory(gc?: boolean): EspruinoMemory;
  on(event: string, fn: (...args: any[]) => void): void;
};

declare namespace E {
  function getSizeOf(v: any, depth?: number): number;
  function getErrorFlags(): string[];
  function on(event: string, fn: (...args: any[]) => void): void;
}

interface EspruinoStorageModule {
  read(name: string, offset?: number, length?: number): string | undefined;
  readJSON(name: string, noExceptions?: boolean): any;
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  write(name: string, data: string | ArrayBuffer | Uint8Array, offset?: number, size?: number): boolean;
  writeJSON(name: string, data: any): boolean;
  erase(name: string): void;
  list(regex?: RegExp | string, filter?: { sf?: boolean }): string[];
  getFree(): number;
  compact(): void;
}

interface EspruinoNetSocket {
  write(data: string): boolean;
  end(): void;
  on(event: string, fn: (...args: any[]) => void): void;
}
interface EspruinoNetModule {
  connect(options: { host: string; port: number }, callback?: () => void): EspruinoNetSocket;
}
interface EspruinoDgramSocket {
  send(data: string, offset: number, length: number, port: number, address: string, cb?: () => void): void;
  bind(port: number, cb?: () => void): EspruinoDgramSocket;
  close(): void;
  on(event: string, fn: (...args: any[]) => void): void;
}
interface EspruinoDgramModule {
  createSocket(type: string | { type: string; reuseAddr?: boolean }, cb?: (msg: string, rinfo: any) => void): EspruinoDgramSocket;
}

declare function require(module: 'Storage'): EspruinoStorageModule;
declare function require(module: 'net'): EspruinoNetModule;
declare function require(module: 'dgram'): EspruinoDgramModule;
declare function require(module: 'Wifi'): any;
declare function require(module: string): any;

/** Exports object of a CommonJS module (the build wraps each module). */
declare var exports: any;
declare var module: { exports: any };
