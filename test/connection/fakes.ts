/**
 * Test doubles for the connection manager and the API: a controllable NetInterface (power-up delay,
 * link, configured, failure reasons, a UDP echo with controllable latency / loss / outage, TCP that
 * connects or not) and a controllable CloudLink. Everything runs on a VirtualClock.
 */
import { VirtualClock } from '../../hal/host/virtual-clock';
import { IfBase } from '../../src/net/if-base';
import { NetInterface, TcpOptions, TcpSocket, UdpOptions, UdpSocket } from '../../src/net/interface';
import {
  IfKind, IF_OFF, IF_POWERING_ON, IF_ON, IF_CONNECTING, IF_READY, IF_DISCONNECTING, IF_POWERING_OFF, IF_FAILED,
  R_NONE, R_NO_HARDWARE, R_NO_LINK, R_NO_SERVER, E_OK, E_NETDOWN, E_TIMEOUT, E_REFUSED, E_DNS, REASONS
} from '../../src/net/types';
import { Emitter } from '../../src/util/emitter';
import { CloudLink } from '../../src/connection/cloud-link';

export const CLOUD_HOST = 'cloud.test';
export const CLOUD_IP = '10.9.9.9';
export const ECHO_PORT = 7;
export const BROKER_PORT = 1883;

export interface FakeIfOptions {
  configured?: boolean;
  /** Time from on() to IF_ON. */
  powerUpMs?: number;
  /** Time from connect() (once on) to IF_READY or IF_FAILED. */
  connectMs?: number;
  link?: boolean;
  /** Fail every connect with this reason (after connectMs). */
  failReason?: number;
  /** No chip at all: on() fails with no_hardware. */
  absent?: boolean;
  rttMs?: number;
  /** Fraction of datagrams lost, spread evenly and deterministically. */
  loss?: number;
  /** UDP echo service answers. */
  echo?: boolean;
  /** TCP connects to the broker succeed. */
  tcpOk?: boolean;
  dnsOk?: boolean;
  /** The cloud refuses sessions over this interface with this reason (its probes still answer). */
  cloudRefuse?: number;
}

/** One UDP socket of a FakeIface. */
class FakeUdp implements UdpSocket {
  open = true;
  constructor(public f: FakeIface, public o: UdpOptions) {}
  send(data: string, host: string, port: number): boolean {
    if (!this.open || this.f.state() !== IF_READY) return false;
    this.f._cnt.tx += data.length + 28;
    this.f.udpSent++;
    if (this.f._drop()) return true;
    if (!this.f.o.echo || port !== ECHO_PORT || host !== CLOUD_IP) return true;
    var self = this;
    this.f.clock.setTimeout(function () {
      if (!self.open || self.f.state() !== IF_READY || self.f.outage) return;
      if (self.f._drop()) return;
      self.f._cnt.rx += data.length + 28;
      if (self.o.onMessage) self.o.onMessage(data, host, port);
    }, this.f.o.rttMs!);
    return true;
  }
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.f._udps.splice(this.f._udps.indexOf(this), 1);
  }
  kill(err: number): void {
    if (!this.open) return;
    this.close();
    if (this.o.onClose) this.o.onClose(err);
  }
}

class FakeTcp implements TcpSocket {
  open = true;
  up = false;
  t: any;
  constructor(public f: FakeIface, public o: TcpOptions) {}
  write(data: string): boolean {
    if (!this.up) return false;
    this.f._cnt.tx += data.length;
    return true;
  }
  close(): void {
    this.end(E_OK);
  }
  end(err: number): void {
    if (!this.open) return;
    this.open = false;
    this.f.clock.clearTimeout(this.t);
    this.f._tcps.splice(this.f._tcps.indexOf(this), 1);
    if (this.o.onClose) this.o.onClose(err);
  }
}

/**
 * A NetInterface whose behaviour a test controls. Lifecycle: on() → powering_on → (powerUpMs) → on;
 * connect() → connecting → (connectMs) → ready, or failed (no_link without a link, or `failReason`).
 */
export class FakeIface extends IfBase implements NetInterface {
  clock: VirtualClock;
  o: FakeIfOptions;
  outage = false;
  _t: any;
  _udps: FakeUdp[] = [];
  _tcps: FakeTcp[] = [];
  _pk = 0;
  udpSent = 0;
  tcpOpened = 0;
  connects = 0;
  /** Calls of the optional driver extras. */
  ipConfig: any = null;
  creds: any = null;

  constructor(id: string, kind: IfKind, clock: VirtualClock, o?: FakeIfOptions) {
    super(id, kind);
    this.clock = clock;
    this.o = Object.assign(
      { configured: true, powerUpMs: 100, connectMs: 200, link: true, failReason: R_NONE, absent: false, rttMs: 20, loss: 0, echo: true, tcpOk: true, dnsOk: true },
      o || {}
    );
    this._info = { ip: '0.0.0.0', netmask: '0.0.0.0', gateway: '0.0.0.0', dns: '0.0.0.0', mac: 'fa:ke:' + id };
  }

  configured(): boolean {
    return !!this.o.configured;
  }

  on(): void {
    if (this._st !== IF_OFF && this._st !== IF_FAILED) return;
    if (this._st === IF_FAILED && this._rs !== R_NO_HARDWARE) return;
    this.clock.clearTimeout(this._t);
    if (this.o.absent) {
      this._set(IF_FAILED, R_NO_HARDWARE);
      return;
    }
    this._set(IF_POWERING_ON);
    var self = this;
    this._t = this.clock.setTimeout(function () {
      self._set(IF_ON);
      if (self._wantUp) self._startConnect();
    }, this.o.powerUpMs!);
  }

  _wantUp = false;

  connect(): void {
    this.connects++;
    if (this._st === IF_READY || this._st === IF_CONNECTING) return;
    if (this.o.absent) {
      this._set(IF_FAILED, R_NO_HARDWARE);
      return;
    }
    if (this._st === IF_OFF) {
      this._wantUp = true;
      this.on();
      return;
    }
    if (this._st === IF_POWERING_ON) {
      this._wantUp = true;
      return;
    }
    this._startConnect();
  }

  _startConnect(): void {
    this._wantUp = false;
    this.clock.clearTimeout(this._t);
    this._set(IF_CONNECTING);
    var self = this;
    this._t = this.clock.setTimeout(function () {
      if (!self.o.link) self._set(IF_FAILED, R_NO_LINK);
      else if (self.o.failReason) self._set(IF_FAILED, self.o.failReason);
      else {
        self._info.ip = '192.168.' + self.def() + '.10';
        self._set(IF_READY);
      }
    }, this.o.connectMs!);
  }

  def(): number {
    return this.kind === 'ethernet' ? 1 : this.kind === 'wifi' ? 2 : 3;
  }

  disconnect(): void {
    if (this._st !== IF_READY && this._st !== IF_CONNECTING) return;
    this.clock.clearTimeout(this._t);
    this._killSockets();
    this._set(IF_DISCONNECTING);
    this._set(IF_ON);
  }

  off(): void {
    if (this._st === IF_OFF) return;
    this.clock.clearTimeout(this._t);
    this._wantUp = false;
    this._killSockets();
    this._set(IF_POWERING_OFF);
    this._set(IF_OFF);
  }

  /** Plug or unplug: dropping the link takes a ready interface to failed(no_link). */
  setLink(up: boolean): void {
    if (this.o.link === up) return;
    this.o.link = up;
    if (!up && (this._st === IF_READY || this._st === IF_CONNECTING)) {
      this.clock.clearTimeout(this._t);
      this._killSockets();
      this._set(IF_FAILED, R_NO_LINK);
    }
    this.events.emit('link', up);
  }

  /** Fails a ready interface with `reason` at once. */
  fail(reason: number): void {
    this.clock.clearTimeout(this._t);
    this._killSockets();
    this._set(IF_FAILED, reason);
  }

  _killSockets(): void {
    var u = this._udps.slice();
    for (var i = 0; i < u.length; i++) u[i].kill(E_NETDOWN);
    var t = this._tcps.slice();
    for (var j = 0; j < t.length; j++) t[j].end(E_NETDOWN);
  }

  /** Deterministic, evenly spread loss. */
  _drop(): boolean {
    var k = this._pk++;
    var l = this.o.loss || 0;
    return Math.floor((k + 1) * l) > Math.floor(k * l);
  }

  udp(opts: UdpOptions): UdpSocket | null {
    if (this._st !== IF_READY) return null;
    var u = new FakeUdp(this, opts);
    this._udps.push(u);
    return u;
  }

  tcp(opts: TcpOptions): TcpSocket | null {
    if (this._st !== IF_READY) return null;
    this.tcpOpened++;
    var s = new FakeTcp(this, opts);
    this._tcps.push(s);
    var self = this;
    // A lost SYN (same loss as UDP) makes the connect time out.
    var ok = this.o.tcpOk && !this.outage && opts.port === BROKER_PORT && !this._drop();
    s.t = this.clock.setTimeout(
      function () {
        if (!s.open) return;
        if (ok) {
          s.up = true;
          if (s.o.onConnect) s.o.onConnect();
        } else s.end(self.outage ? E_TIMEOUT : E_REFUSED);
      },
      ok ? this.o.rttMs! : this.outage || this.o.tcpOk ? opts.timeoutMs || 5000 : this.o.rttMs!
    );
    return s;
  }

  resolve(host: string, cb: (err: number, ip: string) => void): void {
    var self = this;
    this.clock.setTimeout(function () {
      if (self._st !== IF_READY) cb(E_NETDOWN, '');
      else if (!self.o.dnsOk || self.outage) cb(E_DNS, '');
      else cb(E_OK, host === CLOUD_HOST ? CLOUD_IP : host);
    }, this.o.rttMs!);
  }

  // Optional driver extras the API forwards to.
  setConfig(c: any): void {
    this.ipConfig = c;
  }
  getConfig(): any {
    return this.ipConfig || { dhcp: true };
  }
}

/** A Wi-Fi fake with the Wi-Fi driver's credential store shape. */
export class FakeWifi extends FakeIface {
  list: any[] = [];
  constructor(id: string, clock: VirtualClock, o?: FakeIfOptions) {
    super(id, 'wifi', clock, o);
    if (!o || o.configured !== false) this.list.push({ ssid: 'home' });
  }
  configured(): boolean {
    return this.list.length > 0;
  }
  setCredentials(c: any): boolean {
    this.list.push({ ssid: c.ssid });
    return true;
  }
  clearCredentials(): void {
    this.list = [];
  }
  hasCredentials(): boolean {
    return this.list.length > 0;
  }
}

/** A cellular fake with an APN setter. */
export class FakeCell extends FakeIface {
  apn: any = null;
  constructor(id: string, clock: VirtualClock, o?: FakeIfOptions) {
    super(id, 'cell', clock, o);
  }
  setCredentials(apn: string, user?: string, password?: string): boolean {
    this.apn = { apn: apn, user: user, password: password };
    return true;
  }
}

export interface FakeCloudOptions {
  connectMs?: number;
  /** Refuse every connect with this reason (0 = accept). */
  refuse?: number;
  /** Offer CloudLink.handover (make-before-break). */
  handover?: boolean;
}

/** A controllable CloudLink: connects after a delay over a ready interface without an outage. */
export class FakeCloud implements CloudLink {
  readonly events = new Emitter();
  clock: VirtualClock;
  o: FakeCloudOptions;
  _if: FakeIface | null = null;
  _up = false;
  _rx = 0;
  _t: any;
  _tok = 0;
  attempts: { t: number; id: string }[] = [];
  pings = 0;
  handovers = 0;
  handover?: (iface: NetInterface, cb: (reason: number) => void) => void;
  _watch: (st: number) => void;

  constructor(clock: VirtualClock, o?: FakeCloudOptions) {
    this.clock = clock;
    this.o = Object.assign({ connectMs: 300, refuse: 0, handover: false }, o || {});
    var self = this;
    this._watch = function (st: number) {
      if (st !== IF_READY && self._up) self.lose(R_NO_SERVER);
    };
    if (this.o.handover) {
      this.handover = function (iface: NetInterface, cb: (reason: number) => void) {
        self._handover(iface as FakeIface, cb);
      };
    }
  }

  connect(iface: NetInterface, cb: (reason: number) => void): void {
    this._drop();
    var f = iface as FakeIface;
    this._if = f;
    this.attempts.push({ t: this.clock.now(), id: f.id });
    var tok = ++this._tok;
    var self = this;
    var dead = f.outage || f.state() !== IF_READY;
    this._t = this.clock.setTimeout(
      function () {
        if (tok !== self._tok) return;
        if (f.state() !== IF_READY || f.outage) return cb(R_NO_SERVER);
        if (self.o.refuse) return cb(self.o.refuse);
        if (f.o.cloudRefuse) return cb(f.o.cloudRefuse);
        self._up = true;
        self._rx = self.clock.now();
        f.events.on('state', self._watch);
        self.events.emit('up', f);
        cb(R_NONE);
      },
      dead ? 5000 : this.o.connectMs!
    );
  }

  _handover(f: FakeIface, cb: (reason: number) => void): void {
    this.handovers++;
    var tok = ++this._tok;
    var self = this;
    this.attempts.push({ t: this.clock.now(), id: f.id });
    this._t = this.clock.setTimeout(function () {
      if (tok !== self._tok) return;
      if (f.state() !== IF_READY || f.outage) return cb(R_NO_SERVER);
      if (self.o.refuse) return cb(self.o.refuse);
      if (self._if) self._if.events.off('state', self._watch);
      self._if = f;
      self._up = true;
      self._rx = self.clock.now();
      f.events.on('state', self._watch);
      self.events.emit('up', f);
      cb(R_NONE);
    }, this.o.connectMs!);
  }

  _drop(): void {
    this._tok++;
    this.clock.clearTimeout(this._t);
    if (this._if) this._if.events.off('state', this._watch);
    this._up = false;
  }

  disconnect(): void {
    this._drop();
    this._if = null;
  }

  connected(): boolean {
    return this._up;
  }

  iface(): NetInterface | null {
    return this._if;
  }

  ping(timeoutMs: number, cb: (ok: boolean) => void): void {
    this.pings++;
    var f = this._if;
    var self = this;
    var ok = this._up && !!f && f.state() === IF_READY && !f.outage;
    this.clock.setTimeout(
      function () {
        if (ok && self._up && f === self._if && !f!.outage) {
          self._rx = self.clock.now();
          self.events.emit('rx');
          cb(true);
        } else cb(false);
      },
      ok ? f!.o.rttMs! : timeoutMs
    );
  }

  lastRx(): number {
    return this._rx;
  }

  /** Simulates inbound traffic now. */
  rx(): void {
    this._rx = this.clock.now();
    this.events.emit('rx');
  }

  /** Drops an established session ("lost"). */
  lose(reason: number): void {
    if (!this._up) return;
    this._drop();
    this.events.emit('lost', reason);
  }

  host(): string {
    return CLOUD_HOST;
  }
  echoPort(): number {
    return ECHO_PORT;
  }
  port(): number {
    return BROKER_PORT;
  }
}

/** Records events with their clock time. */
export class Recorder {
  list: { t: number; ev: string; v: any }[] = [];
  constructor(public clock: VirtualClock) {}
  on(em: Emitter, names: string[]): this {
    var self = this;
    names.forEach(function (n) {
      em.on(n, function (v: any) {
        self.list.push({ t: self.clock.now(), ev: n, v: v });
      });
    });
    return this;
  }
  of(ev: string): { t: number; ev: string; v: any }[] {
    return this.list.filter(function (e) {
      return e.ev === ev;
    });
  }
  values(ev: string): any[] {
    return this.of(ev).map(function (e) {
      return e.v;
    });
  }
}

export { REASONS };

import { MemoryStorage } from '../../hal/host/memory-storage';
import { ConnectionManager } from '../../src/connection/manager';
import { Policy } from '../../src/connection/policy';

export interface WorldOptions {
  eth?: FakeIfOptions | false;
  wifi?: FakeIfOptions | false;
  cell?: FakeIfOptions | false;
  cloud?: FakeCloudOptions;
  settings?: any;
  policy?: Policy;
  storage?: MemoryStorage;
  /** Enable FEATURE_ETHERNET_DETECTION (default true). */
  ethDetection?: boolean;
}

export interface World {
  clock: VirtualClock;
  eth: FakeIface;
  wl: FakeWifi;
  cell: FakeCell;
  ifs: FakeIface[];
  cloud: FakeCloud;
  storage: MemoryStorage;
  mgr: ConnectionManager;
  rec: Recorder;
  errors: any[];
  /** Id of the interface carrying the session, or null. */
  on(): string | null;
}

/** A device with up to three fake interfaces, a fake cloud and a started manager (not yet connecting). */
export function world(o?: WorldOptions): World {
  o = o || {};
  var clock = new VirtualClock();
  var ifs: FakeIface[] = [];
  var eth = new FakeIface('eth0', 'ethernet', clock, o.eth || {});
  var wl = new FakeWifi('wl0', clock, o.wifi || {});
  var cell = new FakeCell('cell0', clock, Object.assign({ rttMs: 80, powerUpMs: 500, connectMs: 1500 }, o.cell || {}));
  if (o.eth !== false) ifs.push(eth);
  if (o.wifi !== false) ifs.push(wl);
  if (o.cell !== false) ifs.push(cell);
  var cloud = new FakeCloud(clock, o.cloud);
  var storage = o.storage || new MemoryStorage();
  var mgr = new ConnectionManager({ clock: clock, storage: storage, interfaces: ifs, cloud: cloud, settings: o.settings, policy: o.policy, seed: 42 });
  var errors: any[] = [];
  var rec = new Recorder(clock).on(mgr.events, ['cloud_status', 'network_status', 'interface_status', 'cloud_interface_changed', 'probe', 'network_reset']);
  [mgr.events, cloud.events].concat(ifs.map(function (f) { return f.events; })).forEach(function (em) {
    em.on('error', function (e: any) {
      errors.push(e);
    });
  });
  mgr.setEthernetDetection(o.ethDetection !== false);
  mgr.start();
  return {
    clock: clock, eth: eth, wl: wl, cell: cell, ifs: ifs, cloud: cloud, storage: storage, mgr: mgr, rec: rec, errors: errors,
    on: function () {
      var i = mgr.cloudIface();
      return i ? i.id : null;
    }
  };
}
