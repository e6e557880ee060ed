/**
 * Optional members the API forwards to when an interface or the cloud session offers them. Drivers and the
 * cloud layer implement what they can; the API checks with `typeof x.member === 'function'`.
 */

/** Address configuration (the Wi-Fi driver's setConfig/getConfig shape). */
export interface IpConfig {
  dhcp: boolean;
  ip?: string;
  netmask?: string;
  gateway?: string;
  dns?: string;
}

/** An interface whose address configuration can be set (stored by the driver). */
export interface IpConfigurable {
  setConfig(c: IpConfig): void;
  getConfig(): IpConfig;
}

/** The Wi-Fi driver's credential store (src/drivers/wifi). */
export interface WifiCredentialStore {
  setCredentials(c: { ssid: string; password?: string; security?: string; hidden?: boolean }): boolean;
  clearCredentials(): void;
  hasCredentials(): boolean;
}

/** A cellular interface's APN settings. */
export interface CellCredentialStore {
  setCredentials(apn: string, user?: string, password?: string): any;
}

/** What Particle.publish / subscribe / function / variable forward to (the cloud session, src/cloud). */
export interface CloudApi {
  publish?(name: string, data?: any, options?: any, cb?: any): any;
  subscribe?(prefix: string, handler: any, options?: any): any;
  unsubscribe?(): any;
  function?(name: string, fn: any): any;
  variable?(name: string, getter: any, type?: any): any;
  keepAlive?(seconds: number): any;
  process?(): any;
  deviceId?(): string;
  deviceID?(): string;
}

/** True when `o[name]` is a function. */
export function has(o: any, name: string): boolean {
  return !!o && typeof o[name] === 'function';
}
