import * as net from 'net';
import { Duplex } from 'stream';
import { Aedes, Client } from 'aedes';
import { SimTcpConn, SimTcpHandlers } from '../nic';
import { NetCore } from './core';
import { Host } from './host';
import { TcpListener } from './stack';
import { TcpDuplex } from './tcp-stream';

/** Settings of the cloud's MQTT broker. */
export interface BrokerOptions {
  /** TCP port on the cloud host. */
  port: number;
  /** When set, CONNECT must carry this username and `password` (else CONNACK 4). */
  username?: string;
  password?: string;
  /** Every CONNECT is refused with CONNACK 5 (not authorised). */
  refuseAuth: boolean;
  /** A connection that sends no CONNECT within this is closed (aedes default 30 s). */
  connectTimeoutMs: number;
  /**
   * Real-time mode only: "mqtt://host:port" of an outside broker. Virtual connections to the broker port
   * become real TCP connections to it, and the embedded broker is not used.
   */
  forward?: string;
}

/** What the broker tracks per connection. */
interface ConnRec {
  stream: Duplex;
  client: Client | null;
  id: string;
  keepaliveMs: number;
  lastIn: number;
  kaTimer: any;
  connectTimer: any;
  /** A real socket (Cloud.listen): aedes keeps its own real-time keepalive. */
  real: boolean;
}

const DEFAULT_BROKER: BrokerOptions = { port: 1883, refuseAuth: false, connectTimeoutMs: 30000 };
/** Largest Node timer delay; aedes' own connect timer is parked there (the world enforces it instead). */
const NEVER_MS = 2147483647;

/**
 * The cloud's MQTT broker: `aedes`, fed one Node Duplex per accepted virtual TCP connection.
 *
 * aedes keeps its timers on Node's real clock. So that the broker lives in the world's time, its
 * time-dependent duties are done here on the world's clock with aedes' own rules: the keepalive (a
 * client silent for 1.5 × keepalive + 1 ms is dropped with 'keep alive timeout'; each inbound chunk
 * refreshes it) and the connect timeout. The CONNECT's keepalive is handed to aedes as 0 so that it does
 * not arm a real timer. Stop/restart resets every connection and refuses new ones; the same aedes
 * instance (and its in-memory persistence) continues, so persistent sessions survive a restart.
 */
export class CloudBroker {
  readonly aedes: Aedes;
  readonly host: Host;
  private _core: NetCore;
  private _o: BrokerOptions;
  private _listener: TcpListener | null = null;
  private _running = false;
  private _recs: Map<Duplex, ConnRec> = new Map();
  private _ready: Promise<void>;
  private _isReady = false;
  private _restartTimer: any = null;
  private _closed = false;

  constructor(core: NetCore, host: Host, opts?: Partial<BrokerOptions>) {
    this._core = core;
    this.host = host;
    this._o = Object.assign({}, DEFAULT_BROKER, opts || {});
    var self = this;
    this.aedes = new Aedes({
      heartbeatInterval: 3600000,
      connectTimeout: NEVER_MS,
      drainTimeout: 0,
      preConnect: function (client, packet, cb) {
        self._preConnect(client, packet);
        cb(null, true);
      },
      authenticate: function (client, username, password, cb) {
        self._authenticate(client, username, password, cb);
      },
    });
    this._ready = this.aedes.listen().then(function () {
      self._isReady = true;
      var a: any = self.aedes;
      // aedes' own housekeeping intervals must not keep the process alive.
      if (a._heartbeatInterval && a._heartbeatInterval.unref) a._heartbeatInterval.unref();
      if (a._clearWillInterval && a._clearWillInterval.unref) a._clearWillInterval.unref();
      core.touch();
    });
    this._wireEvents();
    this.start(true);
  }

  /** Resolves once aedes is set up. */
  ready(): Promise<void> {
    return this._ready;
  }

  /** Accepting connections. */
  get running(): boolean {
    return this._running;
  }

  get port(): number {
    return this._o.port;
  }

  /** Current settings (a copy). */
  options(): BrokerOptions {
    return Object.assign({}, this._o);
  }

  /** Changes settings (username/password, refuseAuth, connectTimeoutMs, forward; a new port re-listens). */
  set(opts: Partial<BrokerOptions>): void {
    var portChange = opts.port !== undefined && opts.port !== this._o.port;
    if (opts.refuseAuth !== undefined && opts.refuseAuth !== this._o.refuseAuth) this._core.log.add('broker', 'refuse-auth=' + opts.refuseAuth);
    if (portChange && this._listener) {
      this._listener.close();
      this._listener = null;
    }
    Object.assign(this._o, opts);
    if (portChange && this._running) this._listen();
  }

  /** Client ids connected now, sorted. */
  clients(): string[] {
    return Object.keys((this.aedes as any).clients || {}).sort();
  }

  /** Stops: every connection reset, new ones refused, until start(). */
  stop(): void {
    if (this._restartTimer) this._core.clock.clearTimeout(this._restartTimer);
    this._restartTimer = null;
    if (!this._running) return;
    this._running = false;
    if (this._listener) this._listener.close();
    this._listener = null;
    this._core.log.add('broker', 'stopped');
    var recs = Array.from(this._recs.values());
    for (var i = 0; i < recs.length; i++) this._drop(recs[i], true);
    this._core.touch();
  }

  /** Accepts connections again. */
  start(quiet?: boolean): void {
    if (this._restartTimer) this._core.clock.clearTimeout(this._restartTimer);
    this._restartTimer = null;
    if (this._running || this._closed) return;
    this._running = true;
    this._listen();
    if (!quiet) this._core.log.add('broker', 'started');
  }

  /** Stops now and starts again after `downMs`. */
  restart(downMs?: number): void {
    this.stop();
    var self = this;
    this._restartTimer = this._core.clock.setTimeout(function () {
      self._restartTimer = null;
      self.start();
    }, downMs === undefined ? 5000 : downMs);
  }

  /** Publishes from the cloud side. */
  publish(topic: string, payload: Buffer | string, qos?: 0 | 1 | 2, retain?: boolean): Promise<void> {
    var self = this;
    this._core.touch();
    return this._ready.then(function () {
      return new Promise<void>(function (resolve, reject) {
        self.aedes.publish({ cmd: 'publish', topic: topic, payload: Buffer.from(payload as any), qos: qos || 0, retain: !!retain, dup: false } as any, function (err?: Error | null) {
          self._core.touch();
          if (err) reject(err);
          else resolve();
        });
      });
    });
  }

  /** Serves a real socket (the development cloud's real port) like a virtual connection. */
  handleSocket(sock: net.Socket): void {
    if (!this._running) {
      sock.resetAndDestroy();
      return;
    }
    this._handle(sock);
  }

  /** Closes aedes and every connection. */
  close(): Promise<void> {
    this.stop();
    this._closed = true;
    var self = this;
    return this._ready.then(function () {
      return new Promise<void>(function (resolve) {
        self.aedes.close(function () {
          resolve();
        });
      });
    }, function () {});
  }

  private _listen(): void {
    var self = this;
    this._listener = this.host.listen(this._o.port, function (conn, ip, port) {
      return self._accept(conn, ip, port);
    });
  }

  private _accept(conn: SimTcpConn, ip: string, port: number): SimTcpHandlers {
    if (this._o.forward) return this._forward(conn, this._o.forward);
    var self = this;
    var s = new TcpDuplex(function () {
      self._core.touch();
    });
    s.conn = conn;
    s.remoteAddress = ip;
    s.remotePort = port;
    s.connecting = false;
    var h = s.handlers();
    var onData = h.onData;
    h.onData = function (d: Buffer) {
      var r = self._recs.get(s);
      if (r) r.lastIn = self._core.clock.now();
      onData(d);
    };
    // The handshake is already complete: hand the stream over once aedes is ready.
    h.onConnect = function () {};
    if (this._isReady) this._handle(s);
    else this._ready.then(function () {
      if (!s.destroyed) self._handle(s);
    });
    return h;
  }

  private _handle(stream: Duplex): void {
    var self = this;
    var real = stream instanceof net.Socket;
    var rec: ConnRec = { stream: stream, client: null, id: '', keepaliveMs: 0, lastIn: this._core.clock.now(), kaTimer: null, connectTimer: null, real: real };
    this._recs.set(stream, rec);
    stream.on('close', function () {
      self._forget(rec);
    });
    var client = (this.aedes.handle as any)(stream) as Client;
    rec.client = client;
    var ct: any = (client as any)._connectTimer;
    if (ct && ct.unref) ct.unref();
    if (real) {
      // A real socket lives in real time: aedes' own timers are right for it (connect timeout restored here).
      if (ct) clearTimeout(ct);
      (client as any)._connectTimer = setTimeout(function () {
        client.emit('error', new Error('connect did not arrive in time'));
      }, this._o.connectTimeoutMs);
      return;
    }
    rec.connectTimer = this._core.clock.setTimeout(function () {
      rec.connectTimer = null;
      self._core.log.add('broker', 'connect timeout ' + (stream as any).remoteAddress);
      client.emit('error', new Error('connect did not arrive in time'));
      self._core.touch();
    }, this._o.connectTimeoutMs);
    this._core.touch();
  }

  private _preConnect(client: Client, packet: any): void {
    var rec = this._recs.get(client.conn as Duplex);
    if (!rec || rec.real) return;
    if (rec.connectTimer) this._core.clock.clearTimeout(rec.connectTimer);
    rec.connectTimer = null;
    rec.id = packet.clientId || '';
    rec.keepaliveMs = (packet.keepalive || 0) * 1000;
    // aedes would arm a real-time timer; the world keeps this keepalive on its own clock instead.
    packet.keepalive = 0;
    rec.lastIn = this._core.clock.now();
    if (rec.keepaliveMs > 0) this._armKeepalive(rec, rec.keepaliveMs * 1.5 + 1);
  }

  private _armKeepalive(rec: ConnRec, ms: number): void {
    var self = this;
    rec.kaTimer = this._core.clock.setTimeout(function () {
      rec.kaTimer = null;
      var limit = rec.keepaliveMs * 1.5 + 1;
      var idle = self._core.clock.now() - rec.lastIn;
      // (Tolerance: virtual times are float sums; a re-arm of a few picoseconds would never advance.)
      if (idle < limit - 1e-6) {
        self._armKeepalive(rec, limit - idle);
        return;
      }
      if (!rec.client) return;
      self._core.log.add('broker', 'keepalive-timeout ' + rec.id);
      self.aedes.emit('keepaliveTimeout', rec.client);
      rec.client.emit('error', new Error('keep alive timeout'));
      self._core.touch();
    }, ms);
  }

  private _authenticate(client: Client, username: string | undefined, password: Buffer | undefined, cb: (err: any, ok: boolean | null) => void): void {
    var o = this._o;
    var err: any = null;
    if (o.refuseAuth) {
      err = new Error('not authorized');
      err.returnCode = 5;
    } else if (o.username !== undefined && (username !== o.username || (password ? password.toString() : '') !== (o.password || ''))) {
      err = new Error('bad user name or password');
      err.returnCode = 4;
    }
    if (err) {
      this._core.log.add('broker', 'auth-refused ' + (client.id || '?') + ' rc=' + err.returnCode);
      cb(err, false);
    } else {
      cb(null, true);
    }
    this._core.touch();
  }

  private _drop(rec: ConnRec, reset: boolean): void {
    var s: any = rec.stream;
    if (reset && s instanceof TcpDuplex) s.resetAndDestroy();
    else if (reset && s instanceof net.Socket && !s.destroyed && s.readyState === 'open') s.resetAndDestroy();
    else s.destroy();
    this._forget(rec);
  }

  private _forget(rec: ConnRec): void {
    var clock = this._core.clock;
    if (rec.kaTimer) clock.clearTimeout(rec.kaTimer);
    if (rec.connectTimer) clock.clearTimeout(rec.connectTimer);
    rec.kaTimer = rec.connectTimer = null;
    this._recs.delete(rec.stream);
  }

  private _forward(conn: SimTcpConn, url: string): SimTcpHandlers {
    var u = new URL(url);
    var log = this._core.log;
    var sock = net.connect({ host: u.hostname, port: Number(u.port || 1883) });
    var done = false;
    log.add('broker', 'forward to ' + u.host);
    sock.on('data', function (d) {
      if (!done) conn.write(d);
    });
    sock.on('end', function () {
      if (!done) conn.end();
    });
    sock.on('error', function () {});
    sock.on('close', function () {
      if (done) return;
      done = true;
      conn.destroy();
    });
    return {
      onConnect: function () {},
      onData: function (d) {
        sock.write(d);
      },
      onEnd: function () {
        sock.end();
      },
      onClose: function () {
        done = true;
        sock.destroy();
      },
    };
  }

  private _wireEvents(): void {
    var self = this;
    var a = this.aedes;
    var log = this._core.log;
    a.on('client', function (c) {
      log.add('broker', 'connected ' + c.id);
      self._core.touch();
    });
    a.on('clientDisconnect', function (c) {
      log.add('broker', 'disconnected ' + c.id);
      self._core.touch();
    });
    a.on('publish', function (p, c) {
      if (p.topic.indexOf('$SYS') === 0) return;
      log.add('broker', 'publish ' + (c ? c.id : '(cloud)') + ' ' + p.topic + ' ' + (p.payload ? p.payload.length : 0) + 'B qos' + p.qos);
      self._core.touch();
    });
    a.on('subscribe', function (subs, c) {
      log.add('broker', 'subscribe ' + c.id + ' ' + subs.map(function (s) { return s.topic + '@' + s.qos; }).join(','));
      self._core.touch();
    });
    a.on('clientError', function (c, e) {
      log.add('broker', 'client-error ' + c.id + ' ' + e.message);
      self._core.touch();
    });
    a.on('connectionError', function (c, e) {
      log.add('broker', 'connection-error ' + e.message);
      self._core.touch();
    });
  }
}
