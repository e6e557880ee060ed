import { MqttClient, IClientOptions } from 'mqtt';
import { SimNic, SimUdpPort } from '../nic';
import { World } from './world';
import { DhcpClient } from './dhcp-client';

/**
 * An mqtt.js client over a virtual TCP connection from `nic` to the cloud broker, with its keepalive on
 * the world's clock (`timerVariant`). mqtt.js' own reconnect is off (reconnectPeriod 0); its real-time
 * CONNACK timer is parked (unref'd): drive reconnects and timeouts from virtual time instead.
 */
export function connectMqtt(world: World, nic: SimNic, opts: IClientOptions & { host?: string; port?: number }): MqttClient {
  var ip = opts.host || world.cloud.ip;
  var port = opts.port || world.cloud.broker.port;
  var o: IClientOptions = Object.assign({ protocolVersion: 4, keepalive: 60, clean: true, reconnectPeriod: 0, connectTimeout: 3600000 }, opts);
  delete (o as any).host;
  delete (o as any).port;
  o.timerVariant = world.mqttTimer();
  var client = new MqttClient(function () {
    return world.tcpStream(nic, ip, port) as any;
  }, o);
  var t: any = (client as any).connackTimer;
  if (t && t.unref) t.unref();
  // mqtt.js emits 'error' for refused/reset connections; an unhandled 'error' would throw.
  client.on('error', function () {});
  world.touch();
  return client;
}

export interface PingStats {
  sent: number;
  received: number;
  /** Round-trip times of the answered pings, ms. */
  rtts: number[];
}

/**
 * Sends a small UDP datagram to the cloud's echo port every `intervalMs` while the NIC has an address,
 * and measures the round trips. With `log`, every answer goes to the event log (a sensitive determinism
 * probe: it carries the jittered RTT).
 */
export class UdpPinger {
  readonly stats: PingStats = { sent: 0, received: 0, rtts: [] };
  private _world: World;
  private _nic: SimNic;
  private _port: SimUdpPort;
  private _timer: any;
  private _sentAt: { [seq: number]: number } = {};
  private _seq = 0;
  private _log: boolean;

  constructor(world: World, nic: SimNic, opts?: { intervalMs?: number; size?: number; log?: boolean }) {
    var o = opts || {};
    this._world = world;
    this._nic = nic;
    this._log = !!o.log;
    var self = this;
    var size = Math.max(4, o.size || 16);
    this._port = nic.udpOpen(0, function (src, sport, data) {
      if (data.length < 4) return;
      var seq = data.readUInt32BE(0);
      var t0 = self._sentAt[seq];
      if (t0 === undefined) return;
      delete self._sentAt[seq];
      var rtt = world.clock.now() - t0;
      self.stats.received++;
      self.stats.rtts.push(rtt);
      if (self._log) world.log.add('traffic', 'ping ' + nic.name + ' #' + seq + ' rtt ' + rtt.toFixed(3));
    });
    this._timer = world.clock.setInterval(function () {
      if (!nic.address()) return;
      var b = Buffer.alloc(size);
      var seq = ++self._seq;
      b.writeUInt32BE(seq, 0);
      self._sentAt[seq] = world.clock.now();
      self.stats.sent++;
      self._port.send(world.cloud.ip, world.cloud.echo.port, b);
    }, o.intervalMs || 5000);
  }

  stop(): void {
    this._world.clock.clearInterval(this._timer);
    this._port.close();
  }
}

export interface MqttTrafficStats {
  connects: number;
  closes: number;
  published: number;
  acked: number;
  received: number;
}

/**
 * A device-like MQTT session on one NIC: connects (mqtt.js over virtual TCP), publishes every
 * `publishMs` (QoS `qos`), subscribes to its command topic, and reconnects `reconnectMs` after any loss,
 * all in virtual time. Connects, closes and errors go to the event log.
 */
export class MqttTraffic {
  readonly stats: MqttTrafficStats = { connects: 0, closes: 0, published: 0, acked: 0, received: 0 };
  client: MqttClient | null = null;
  private _world: World;
  private _nic: SimNic;
  private _o: { clientId: string; keepalive: number; publishMs: number; qos: 0 | 1; reconnectMs: number; connectTimeoutMs: number; clean: boolean; username?: string; password?: string };
  private _pubTimer: any = null;
  private _retryTimer: any = null;
  private _connTimer: any = null;
  private _stopped = false;

  constructor(world: World, nic: SimNic, opts: { clientId: string; keepalive?: number; publishMs?: number; qos?: 0 | 1; reconnectMs?: number; connectTimeoutMs?: number; clean?: boolean; username?: string; password?: string }) {
    this._world = world;
    this._nic = nic;
    this._o = {
      clientId: opts.clientId, keepalive: opts.keepalive || 60, publishMs: opts.publishMs || 10000, qos: opts.qos || 0,
      reconnectMs: opts.reconnectMs || 5000, connectTimeoutMs: opts.connectTimeoutMs || 20000, clean: opts.clean !== false,
      username: opts.username, password: opts.password,
    };
    this._connect();
  }

  /** Connected to the broker now. */
  connected(): boolean {
    return !!(this.client && this.client.connected);
  }

  stop(): void {
    this._stopped = true;
    this._clearTimers();
    if (this.client) this.client.end(true);
    this.client = null;
    this._world.touch();
  }

  private _connect(): void {
    if (this._stopped) return;
    var w = this._world;
    var o = this._o;
    if (!this._nic.address()) {
      this._retry();
      return;
    }
    var self = this;
    var c = (this.client = connectMqtt(w, this._nic, { clientId: o.clientId, keepalive: o.keepalive, clean: o.clean, username: o.username, password: o.password }));
    var closed = false;
    this._connTimer = w.clock.setTimeout(function () {
      self._connTimer = null;
      if (!c.connected) {
        w.log.add('traffic', 'mqtt ' + o.clientId + ' connect timeout');
        c.end(true);
        w.touch();
      }
    }, o.connectTimeoutMs);
    c.on('connect', function () {
      self.stats.connects++;
      if (self._connTimer) w.clock.clearTimeout(self._connTimer);
      self._connTimer = null;
      w.log.add('traffic', 'mqtt ' + o.clientId + ' connected via ' + self._nic.name);
      c.subscribe('dev/' + o.clientId + '/cmd', { qos: 1 });
      self._pubTimer = w.clock.setInterval(function () {
        if (!c.connected) return;
        self.stats.published++;
        c.publish('dev/' + o.clientId + '/tick', 'n=' + self.stats.published, { qos: o.qos }, function (err) {
          if (!err) self.stats.acked++;
        });
        w.touch();
      }, o.publishMs);
      w.touch();
    });
    c.on('message', function () {
      self.stats.received++;
    });
    c.on('close', function () {
      if (closed) return;
      closed = true;
      self.stats.closes++;
      w.log.add('traffic', 'mqtt ' + o.clientId + ' closed');
      if (self._pubTimer) w.clock.clearInterval(self._pubTimer);
      self._pubTimer = null;
      if (self._connTimer) w.clock.clearTimeout(self._connTimer);
      self._connTimer = null;
      c.end(true);
      if (self.client === c) self.client = null;
      self._retry();
    });
  }

  private _retry(): void {
    if (this._stopped || this._retryTimer) return;
    var self = this;
    this._retryTimer = this._world.clock.setTimeout(function () {
      self._retryTimer = null;
      self._connect();
    }, this._o.reconnectMs);
  }

  private _clearTimers(): void {
    var clock = this._world.clock;
    if (this._pubTimer) clock.clearInterval(this._pubTimer);
    if (this._retryTimer) clock.clearTimeout(this._retryTimer);
    if (this._connTimer) clock.clearTimeout(this._connTimer);
    this._pubTimer = this._retryTimer = this._connTimer = null;
  }
}

export interface TrafficDeviceOptions {
  /** Wi-Fi credentials (default the scenarios' SimNet). */
  ssid?: string;
  password?: string;
  apn?: string;
  pingMs?: number;
  /** Log every ping answer (determinism probe). */
  logPings?: boolean;
  publishMs?: number;
  keepalive?: number;
  qos?: 0 | 1;
}

/**
 * A stand-in device for world tests and benchmarks (not the product): brings up every interface the
 * world has (DHCP on Ethernet, association on Wi-Fi, registration and PDP on cellular, retrying after
 * losses), and runs a UdpPinger and an MqttTraffic session on each.
 */
export class TrafficDevice {
  readonly pingers: UdpPinger[] = [];
  readonly sessions: MqttTraffic[] = [];
  private _world: World;
  private _stops: Array<() => void> = [];

  constructor(world: World, opts?: TrafficDeviceOptions) {
    var o = opts || {};
    this._world = world;
    var eth = world.nic('eth0');
    if (eth) {
      var dhcp = new DhcpClient({ nic: eth, mac: eth.mac, clock: world.clock, log: world.log, rng: world.rng.fork('dev-dhcp') });
      dhcp.start();
      this._stops.push(function () {
        dhcp.stop();
      });
      this._traffic(eth, 'dev-eth', o);
    }
    if (world.nic('wl0')) {
      var air = world.airspace();
      var join = function () {
        air.associate(o.ssid || 'SimNet', o.password || 'simnet-pass', function (err) {
          if (err) world.clock.setTimeout(join, 10000);
        });
      };
      air.onLost(function () {
        world.clock.setTimeout(join, 2000);
      });
      join();
      this._traffic(air.nic, 'dev-wifi', o);
    }
    if (world.nic('cell0')) {
      var cell = world.cellNetwork();
      var attach = function () {
        cell.activate(o.apn || 'internet', '', '', function (err) {
          if (err) world.clock.setTimeout(attach, 10000);
        });
      };
      cell.radio(true);
      cell.onPdpLost(function () {
        world.clock.setTimeout(attach, 5000);
      });
      cell.onRegistration(function (stat) {
        if ((stat === 1 || stat === 5) && !cell.pdpActive()) attach();
      });
      this._traffic(cell.nic, 'dev-cell', o);
    }
  }

  /** Stops all traffic. */
  stop(): void {
    for (var i = 0; i < this.pingers.length; i++) this.pingers[i].stop();
    for (var j = 0; j < this.sessions.length; j++) this.sessions[j].stop();
    for (var k = 0; k < this._stops.length; k++) this._stops[k]();
    this._world.touch();
  }

  private _traffic(nic: SimNic, id: string, o: TrafficDeviceOptions): void {
    this.pingers.push(new UdpPinger(this._world, nic, { intervalMs: o.pingMs || 5000, log: o.logPings }));
    this.sessions.push(new MqttTraffic(this._world, nic, { clientId: id, keepalive: o.keepalive || 30, publishMs: o.publishMs || 10000, qos: o.qos === undefined ? 1 : o.qos }));
  }
}
