import { Clock } from '../../../hal/clock';
import { WifiAirspace, SimNic, SimTcpHandlers, SimTcpConn, SimUdpPort } from '../../../sim/nic';

/** An access point of the fake airspace. */
export interface FakeAp {
  ssid: string;
  password: string;
  rssi: number;
  mac?: string;
  channel?: number;
  authMode?: string;
  /** Association delay (default 800 ms). */
  assocMs?: number;
  /** DHCP delay after association (default 1500 ms); null = the AP's DHCP server never answers. */
  dhcpMs?: number | null;
  /** Address the AP's DHCP hands out (default 192.168.<n>.50). */
  lease?: string;
}

/** The fake internet behind every AP: a UDP echo and a TCP echo at ECHO_IP, a DNS name for it. */
export const ECHO_IP = '10.9.0.7';
export const ECHO_NAME = 'echo.test';
export const ECHO_PORT = 7;
/** One-way latency of the fake links. */
export const LINK_MS = 15;

/**
 * A small stand-in for the world's Wi-Fi model (sim/nic.ts WifiAirspace + SimNic), so the Wi-Fi
 * driver can be tested before and apart from sim/world. Counts association attempts.
 */
export class FakeAirspace implements WifiAirspace {
  clock: Clock;
  aps: FakeAp[] = [];
  /** Every associate() call: {t, ssid}. */
  attempts: Array<{ t: number; ssid: string }> = [];
  /** Scan calls. */
  scans = 0;
  nic: FakeNic | null = null;
  ap: FakeAp | null = null;
  /** Extra TCP services behind the APs, by "ip:port" (e.g. an MQTT broker). */
  peers: { [ipPort: string]: TcpPeer } = {};
  _lost: Array<(reason: string) => void> = [];
  _gen = 0;

  constructor(clock: Clock, aps?: FakeAp[]) {
    this.clock = clock;
    if (aps) for (var i = 0; i < aps.length; i++) this.addAp(aps[i]);
  }

  addAp(ap: FakeAp): void {
    var n = this.aps.length + 1;
    if (!ap.mac) ap.mac = 'aa:bb:cc:00:00:0' + n;
    if (!ap.channel) ap.channel = n;
    if (!ap.authMode) ap.authMode = ap.password ? 'wpa2' : 'open';
    if (!ap.lease) ap.lease = '192.168.' + n + '.50';
    this.aps.push(ap);
  }

  /** The AP goes off the air: the associated station loses it. */
  removeAp(ssid: string): void {
    this.aps = this.aps.filter((a) => a.ssid !== ssid);
    if (this.ap && this.ap.ssid === ssid) {
      var nic = this.nic!;
      this.ap = null;
      this.nic = null;
      nic._setLink(false);
      var l = this._lost.slice();
      for (var i = 0; i < l.length; i++) l[i]('ap gone');
    }
  }

  scan() {
    this.scans++;
    return this.aps.map((a) => ({ ssid: a.ssid, mac: a.mac!, authMode: a.authMode!, channel: a.channel!, rssi: a.rssi }));
  }

  associate(ssid: string, password: string, cb: (err: string | null, nic: SimNic | null) => void): void {
    this.attempts.push({ t: this.clock.now(), ssid: ssid });
    var gen = ++this._gen;
    var ap = this.aps.find((a) => a.ssid === ssid);
    var self = this;
    this.clock.setTimeout(function () {
      if (gen !== self._gen) return;
      var now = self.aps.find((a) => a.ssid === ssid);
      if (!now) return cb('no_ap_found', null);
      if (now.password !== password) return cb('wrong_password', null);
      var nic = new FakeNic(self.clock, 'wl-' + ssid, self.peers);
      self.nic = nic;
      self.ap = now;
      if (now.dhcpMs !== null) {
        self.clock.setTimeout(function () {
          if (self.nic === nic) nic._lease(now!.lease!);
        }, now.dhcpMs === undefined ? 1500 : now.dhcpMs);
      }
      cb(null, nic);
    }, ap ? (ap.assocMs === undefined ? 800 : ap.assocMs) : 3000);
  }

  disassociate(): void {
    this._gen++;
    if (this.nic) this.nic._setLink(false);
    this.nic = null;
    this.ap = null;
  }

  onLost(cb: (reason: string) => void): () => void {
    this._lost.push(cb);
    var self = this;
    return function () {
      var i = self._lost.indexOf(cb);
      if (i >= 0) self._lost.splice(i, 1);
    };
  }

  rssi(): number | undefined {
    return this.ap ? this.ap.rssi : undefined;
  }
}

/** A TCP service: gets the device side's handlers, returns the connection the device writes into. */
export type TcpPeer = (h: SimTcpHandlers) => SimTcpConn;

/** A NIC on the fake Wi-Fi LAN with an echo server and a resolver behind it. */
export class FakeNic implements SimNic {
  name: string;
  clock: Clock;
  peers: { [ipPort: string]: TcpPeer };
  _up = true;
  _ip: string | null = null;
  _linkL: Array<(up: boolean) => void> = [];
  _addrL: Array<(ip: string | null) => void> = [];
  _nextPort = 40000;
  /** Bytes the peers received. */
  rxBytes = 0;

  constructor(clock: Clock, name: string, peers?: { [ipPort: string]: TcpPeer }) {
    this.clock = clock;
    this.name = name;
    this.peers = peers || {};
  }

  linkUp(): boolean {
    return this._up;
  }
  onLink(cb: (up: boolean) => void): () => void {
    return sub(this._linkL, cb);
  }
  setAddress(ip: string | null): void {
    if (ip === this._ip) return;
    this._ip = ip;
    emitAll(this._addrL, ip);
  }
  address(): string | null {
    return this._ip;
  }
  onAddress(cb: (ip: string | null) => void): () => void {
    return sub(this._addrL, cb);
  }
  _lease(ip: string): void {
    this.setAddress(ip);
  }
  _setLink(up: boolean): void {
    if (up === this._up) return;
    this._up = up;
    emitAll(this._linkL, up);
  }

  udpOpen(localPort: number, onDatagram: (srcIp: string, srcPort: number, data: Buffer) => void): SimUdpPort {
    var self = this;
    var open = true;
    var lp = localPort || this._nextPort++;
    return {
      send: function (dstIp: string, dstPort: number, data: Buffer) {
        if (!open || !self._up || !self._ip) return;
        if (dstIp !== ECHO_IP || dstPort !== ECHO_PORT) return;
        self.rxBytes += data.length;
        var copy = Buffer.from(data);
        self.clock.setTimeout(function () {
          if (open && self._up) onDatagram(ECHO_IP, ECHO_PORT, copy);
        }, 2 * LINK_MS);
      },
      close: function () {
        open = false;
        void lp;
      },
    };
  }

  tcpConnect(dstIp: string, dstPort: number, localPort: number, h: SimTcpHandlers): SimTcpConn {
    var self = this;
    var peer = this.peers[dstIp + ':' + dstPort];
    if (peer && this._up && this._ip) return peer(h);
    var state = 0; // 0 connecting, 1 open, 2 closed
    var fin = function (r: any) {
      if (state === 2) return;
      state = 2;
      h.onClose(r);
    };
    var ok = this._up && !!this._ip && dstIp === ECHO_IP && dstPort === ECHO_PORT;
    this.clock.setTimeout(function () {
      if (state !== 0) return;
      if (!ok) return fin(self._up ? 'refused' : 'unreachable');
      state = 1;
      h.onConnect();
    }, 2 * LINK_MS);
    void localPort;
    return {
      write: function (data: Buffer) {
        var copy = Buffer.from(data);
        self.clock.setTimeout(function () {
          if (state !== 1 || !self._up) return;
          self.rxBytes += copy.length;
          h.onData(copy);
        }, 2 * LINK_MS);
      },
      end: function () {
        self.clock.setTimeout(function () {
          if (state !== 1) return;
          h.onEnd();
          fin('closed');
        }, 2 * LINK_MS);
      },
      destroy: function () {
        fin('reset');
      },
    };
  }

  resolve(name: string, cb: (ip: string | null) => void): void {
    var self = this;
    this.clock.setTimeout(function () {
      cb(self._up && self._ip && name === ECHO_NAME ? ECHO_IP : null);
    }, 2 * LINK_MS);
  }
}

function sub<T>(list: Array<(v: T) => void>, cb: (v: T) => void): () => void {
  list.push(cb);
  return function () {
    var i = list.indexOf(cb);
    if (i >= 0) list.splice(i, 1);
  };
}

function emitAll<T>(list: Array<(v: T) => void>, v: T): void {
  var l = list.slice();
  for (var i = 0; i < l.length; i++) l[i](v);
}
