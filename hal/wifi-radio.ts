/**
 * The part of Espruino's `require("Wifi")` (station mode) that the Wi-Fi driver needs.
 * Events follow Espruino's names: "associated" {ssid, mac, channel}, "connected" {ip, netmask, gw},
 * "disconnected" {ssid, mac, reason}, "auth_change", "dhcp_timeout".
 */
export interface WifiApInfo {
  ssid: string;
  mac: string;
  authMode: string;
  channel: number;
  rssi: number;
}

export interface WifiIpInfo {
  ip: string;
  netmask: string;
  gw: string;
  mac: string;
}

export interface WifiRadio {
  /** Joins `ssid`; `cb(null)` once the join was started or done, `cb(err)` on an immediate failure. */
  connect(ssid: string, options: { password?: string }, cb: (err: string | null) => void): void;
  disconnect(cb?: () => void): void;
  scan(cb: (aps: WifiApInfo[]) => void): void;
  /** Station status as Espruino reports it: "off" | "connecting" | "wrong_password" | "no_ap_found" | "connect_fail" | "connected". */
  getStatus(): { station: string };
  getIP(): WifiIpInfo;
  /** Static address; `undefined` for DHCP. */
  setIP(config: { ip: string; netmask: string; gw: string } | undefined, cb?: (err: string | null) => void): void;
  /** RSSI of the current association in dBm, or undefined. */
  getRssi(): number | undefined;
  /** Sets the single event receiver. */
  onEvent(cb: (event: string, details: any) => void): void;
}
