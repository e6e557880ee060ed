/**
 * TLS in the simulated world, WITHOUT real cryptography: a stand-in that costs what TLS 1.2 costs on the
 * wire and in time, so that the simulator's timings, byte counts and the "never in plain text" checks
 * mean something. It is NOT secure and must never be used outside the simulator.
 *
 * What it models:
 * - the handshake: ClientHello (with the server name), the server's flight (ServerHello, its certificate
 *   chain, ServerHelloDone), the client's key exchange + ChangeCipherSpec + Finished after `clientCpuMs` of
 *   device computation (the ESP32's or the modem's public-key work), the server's ChangeCipherSpec + Finished:
 *   two round trips and about 3.4 KB, as records with real TLS record headers;
 * - certificate checking: the server's certificate carries a name; a client that verifies refuses a
 *   certificate for another name (a failed handshake, the connection is closed with an alert);
 * - application data: records of at most 16 KB with 29 bytes of overhead each (5-byte header, 8-byte
 *   explicit nonce, 16-byte tag as AES-GCM), the payload scrambled with a keystream so that no plain text
 *   crosses the simulated wire (a scrambling, not encryption);
 * - close: a close_notify alert.
 *
 * The cloud side is `installTlsPort`: a listener on the cloud host's TLS port (8883) that terminates this
 * TLS and hands the plain stream to the world's broker, as a TLS-terminating front end would.
 */
import { SimTcpConn, SimTcpHandlers, TcpCloseReason } from '../nic';

/** The broker's TLS port (MQTT over TLS, IANA 8883). */
export const TLS_PORT = 8883;

/** Record content types (RFC 5246 §6.2.1). */
const CT_CCS = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APP = 23;
/** Handshake message types carried as the first byte of our handshake records. */
const HS_CLIENT_HELLO = 1;
const HS_SERVER_FLIGHT = 2;
const HS_CLIENT_FINISH = 16;
const HS_SERVER_FINISH = 20;
/** Largest plaintext per record (2^14) and the per-record overhead of AES-GCM records. */
export const TLS_MAX_RECORD = 16384;
export const TLS_RECORD_OVERHEAD = 29;

/** Sizes and times of the modelled handshake. */
export interface TlsSimOptions {
  /** ClientHello record, bytes (typical with SNI and a few cipher suites). */
  clientHelloBytes: number;
  /** ServerHello + Certificate (a 2-certificate RSA chain) + ServerHelloDone, bytes. */
  serverFlightBytes: number;
  /** ClientKeyExchange + ChangeCipherSpec + Finished, bytes. */
  clientFinishBytes: number;
  /** ChangeCipherSpec + Finished, bytes. */
  serverFinishBytes: number;
  /** Device computation before the client's key exchange (public-key work), ms of virtual time. */
  clientCpuMs: number;
}

export var DEFAULT_TLS_SIM: TlsSimOptions = {
  clientHelloBytes: 240,
  serverFlightBytes: 2900,
  clientFinishBytes: 126,
  serverFinishBytes: 51,
  clientCpuMs: 1200,
};

function u16(n: number): Buffer {
  return Buffer.from([(n >> 8) & 255, n & 255]);
}

/** One record: type, version 3.3, length, body. */
function record(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, 3, 3]), u16(body.length), body]);
}

/** A handshake blob of `size` bytes on the wire (one or more records), first body byte `hs`, then `info`. */
function handshake(hs: number, info: string, size: number): Buffer {
  var out: Buffer[] = [];
  var left = Math.max(size, 5 + 3 + info.length);
  var first = true;
  while (left > 0) {
    var bodyLen = Math.min(left - 5, TLS_MAX_RECORD);
    var body = Buffer.alloc(bodyLen, 0x2a);
    if (first) {
      body[0] = hs;
      u16(info.length).copy(body, 1);
      Buffer.from(info, 'latin1').copy(body, 3);
    } else body[0] = 0;
    out.push(record(CT_HANDSHAKE, body));
    left -= 5 + bodyLen;
    first = false;
  }
  return Buffer.concat(out);
}

/** The keystream scrambling of record `seq` (NOT encryption). */
/**
 * Application bytes as TLS records of at most TLS_MAX_RECORD: an 8-byte explicit nonce, the scrambled
 * payload (direction `dir`), a 16-byte tag. Returns the next record sequence number.
 */
function sealApp(out: (r: Buffer) => void, b: Buffer, seq: number, dir: number): number {
  for (var off = 0; off < b.length; off += TLS_MAX_RECORD) {
    var p = b.subarray(off, Math.min(b.length, off + TLS_MAX_RECORD));
    out(record(CT_APP, Buffer.concat([Buffer.alloc(8, seq & 255), scramble(p, seq++, dir), Buffer.alloc(16, 0x77)])));
  }
  return seq;
}

function scramble(b: Buffer, seq: number, dir: number): Buffer {
  var o = Buffer.alloc(b.length);
  var k = (seq * 2654435761 + dir * 40503) >>> 0;
  for (var i = 0; i < b.length; i++) {
    k = (k * 1103515245 + 12345) >>> 0;
    o[i] = b[i] ^ (k >>> 24);
  }
  return o;
}

/** Splits a byte stream into records. */
class RecordReader {
  _b: Buffer = Buffer.alloc(0);
  /** Feeds bytes; returns complete records, or null when the stream is not TLS records. */
  push(d: Buffer): Array<{ t: number; body: Buffer }> | null {
    this._b = this._b.length ? Buffer.concat([this._b, d]) : d;
    var out: Array<{ t: number; body: Buffer }> = [];
    while (this._b.length >= 5) {
      var t = this._b[0];
      var n = (this._b[3] << 8) | this._b[4];
      if (t < CT_CCS || t > CT_APP || this._b[1] !== 3 || n > TLS_MAX_RECORD + 2048) return null;
      if (this._b.length < 5 + n) break;
      out.push({ t: t, body: this._b.subarray(5, 5 + n) });
      this._b = this._b.subarray(5 + n);
    }
    return out;
  }
}

/** Handshake phases. */
const H_HELLO = 0;
const H_WAIT_FINISH = 1;
const H_UP = 2;
const H_DEAD = 3;

/** What a TLS end point does with the transport and its user. */
export interface TlsEndpointIo {
  /** Bytes to put on the transport. */
  out(b: Buffer): void;
  /** Handshake done: application data may flow. */
  up(): void;
  /** Decrypted application bytes. */
  data(b: Buffer): void;
  /** The TLS session failed (bad record, certificate refused, alert); `why` is a short text. */
  fail(why: string): void;
  /** A close_notify arrived. */
  closed(): void;
  /** Timers (the world's clock). */
  later(fn: () => void, ms: number): void;
}

/** The device side: starts with ClientHello, verifies the server's name when `verify`. */
export class TlsSimClient {
  _io: TlsEndpointIo;
  _o: TlsSimOptions;
  _host: string;
  _verify: boolean;
  _ph = H_HELLO;
  _rd = new RecordReader();
  _tx = 0;
  _rx = 0;

  constructor(io: TlsEndpointIo, host: string, verify: boolean, opts?: Partial<TlsSimOptions>) {
    this._io = io;
    this._o = Object.assign({}, DEFAULT_TLS_SIM, opts || {});
    this._host = host;
    this._verify = verify;
  }

  /** The transport connected: sends ClientHello. */
  start(): void {
    this._io.out(handshake(HS_CLIENT_HELLO, this._host, this._o.clientHelloBytes));
  }

  /** Bytes from the transport. */
  input(d: Buffer): void {
    if (this._ph === H_DEAD) return;
    var recs = this._rd.push(d);
    if (!recs) return this._die('not TLS');
    for (var i = 0; i < recs.length && this._ph !== H_DEAD; i++) this._rec(recs[i].t, recs[i].body);
  }

  _rec(t: number, body: Buffer): void {
    var self = this;
    if (t === CT_ALERT) {
      if (this._ph === H_UP && body[1] === 0) return this._io.closed();
      return this._die('alert ' + body[1]);
    }
    if (this._ph === H_HELLO && t === CT_HANDSHAKE && body[0] === HS_SERVER_FLIGHT) {
      var name = body.subarray(3, 3 + ((body[1] << 8) | body[2])).toString('latin1');
      if (this._verify && name !== this._host) {
        this._io.out(record(CT_ALERT, Buffer.from([2, 42])));
        return this._die('certificate for ' + name);
      }
      this._ph = H_WAIT_FINISH;
      this._io.later(function () {
        if (self._ph !== H_WAIT_FINISH) return;
        var n = self._o.clientFinishBytes;
        self._io.out(Buffer.concat([handshake(HS_CLIENT_FINISH, '', n - 6 - 45), record(CT_CCS, Buffer.from([1])), handshake(0, '', 40)]));
      }, this._o.clientCpuMs);
      return;
    }
    if (this._ph === H_HELLO && t === CT_HANDSHAKE && body[0] === 0) return;
    if (this._ph === H_WAIT_FINISH && (t === CT_CCS || t === CT_HANDSHAKE)) {
      if (t === CT_HANDSHAKE && body[0] === HS_SERVER_FINISH) {
        this._ph = H_UP;
        this._io.up();
      }
      return;
    }
    if (this._ph === H_UP && t === CT_APP) {
      if (body.length < 24) return this._die('short record');
      this._io.data(scramble(body.subarray(8, body.length - 16), this._rx++, 1));
      return;
    }
    this._die('unexpected record ' + t);
  }

  /** Application bytes to send (only once up). */
  write(b: Buffer): void {
    if (this._ph !== H_UP) return;
    var io = this._io;
    this._tx = sealApp(function (r: Buffer) { io.out(r); }, b, this._tx, 0);
  }

  /** Sends close_notify. */
  close(): void {
    if (this._ph === H_UP) this._io.out(record(CT_ALERT, Buffer.from([1, 0])));
    this._ph = H_DEAD;
  }

  isUp(): boolean {
    return this._ph === H_UP;
  }

  _die(why: string): void {
    if (this._ph === H_DEAD) return;
    this._ph = H_DEAD;
    this._io.fail(why);
  }
}

/** The cloud side: answers the handshake with a certificate for `certName`. */
export class TlsSimServer {
  _io: TlsEndpointIo;
  _o: TlsSimOptions;
  _cert: string;
  _ph = H_HELLO;
  _rd = new RecordReader();
  _tx = 0;
  _rx = 0;
  /** The server name the client asked for (SNI). */
  sni = '';

  constructor(io: TlsEndpointIo, certName: string, opts?: Partial<TlsSimOptions>) {
    this._io = io;
    this._o = Object.assign({}, DEFAULT_TLS_SIM, opts || {});
    this._cert = certName;
  }

  input(d: Buffer): void {
    if (this._ph === H_DEAD) return;
    var recs = this._rd.push(d);
    if (!recs) return this._die('not TLS');
    for (var i = 0; i < recs.length && this._ph !== H_DEAD; i++) this._rec(recs[i].t, recs[i].body);
  }

  _rec(t: number, body: Buffer): void {
    if (t === CT_ALERT) {
      if (this._ph === H_UP && body[1] === 0) return this._io.closed();
      return this._die('alert ' + body[1]);
    }
    if (this._ph === H_HELLO && t === CT_HANDSHAKE && body[0] === HS_CLIENT_HELLO) {
      this.sni = body.subarray(3, 3 + ((body[1] << 8) | body[2])).toString('latin1');
      this._ph = H_WAIT_FINISH;
      this._io.out(handshake(HS_SERVER_FLIGHT, this._cert, this._o.serverFlightBytes));
      return;
    }
    if (this._ph === H_WAIT_FINISH && (t === CT_HANDSHAKE || t === CT_CCS)) {
      // The client's flight ends with its Finished (a handshake record starting with 0 after the CCS).
      if (t === CT_HANDSHAKE && body[0] === 0) {
        this._ph = H_UP;
        this._io.out(Buffer.concat([record(CT_CCS, Buffer.from([1])), handshake(HS_SERVER_FINISH, '', this._o.serverFinishBytes - 6)]));
        this._io.up();
      }
      return;
    }
    if (this._ph === H_UP && t === CT_APP) {
      if (body.length < 24) return this._die('short record');
      this._io.data(scramble(body.subarray(8, body.length - 16), this._rx++, 0));
      return;
    }
    this._die('unexpected record ' + t);
  }

  write(b: Buffer): void {
    if (this._ph !== H_UP) return;
    var io = this._io;
    this._tx = sealApp(function (r: Buffer) { io.out(r); }, b, this._tx, 1);
  }

  close(): void {
    if (this._ph === H_UP) this._io.out(record(CT_ALERT, Buffer.from([1, 0])));
    this._ph = H_DEAD;
  }

  _die(why: string): void {
    if (this._ph === H_DEAD) return;
    this._ph = H_DEAD;
    this._io.fail(why);
  }
}

/**
 * A TLS client connection over a simulated TCP connection, with the SimTcpConn / SimTcpHandlers shapes
 * the chip models and host sockets already use: `connect` opens TCP to ip:port through `open`, runs the
 * handshake, then calls `h.onConnect`; `write`/`end`/`destroy` and `onData`/`onEnd`/`onClose` carry plain
 * application bytes. A failed handshake closes with 'refused' (the peer could not be trusted).
 */
export function tlsConnect(
  open: (h: SimTcpHandlers) => SimTcpConn,
  host: string,
  verify: boolean,
  h: SimTcpHandlers,
  later: (fn: () => void, ms: number) => void,
  opts?: Partial<TlsSimOptions>,
): SimTcpConn {
  var done = false;
  var conn: SimTcpConn | null = null;
  var finish = function (r: TcpCloseReason) {
    if (done) return;
    done = true;
    h.onClose(r);
  };
  var c = new TlsSimClient({
    out: function (b) {
      if (conn && !done) conn.write(b);
    },
    up: function () {
      if (!done) h.onConnect();
    },
    data: function (b) {
      if (!done) h.onData(b);
    },
    fail: function () {
      if (conn) conn.destroy();
      finish('refused');
    },
    closed: function () {
      if (!done) h.onEnd();
    },
    later: later,
  }, host, verify, opts);
  conn = open({
    onConnect: function () {
      c.start();
    },
    onData: function (d) {
      c.input(d);
    },
    onEnd: function () {
      if (c.isUp()) h.onEnd();
    },
    onClose: function (r) {
      finish(c.isUp() || r !== 'closed' ? r : 'reset');
    },
  });
  return {
    write: function (d: Buffer) {
      c.write(d);
    },
    end: function () {
      c.close();
      if (conn) conn.end();
    },
    destroy: function () {
      // As SimTcpConn.destroy: RST, and no onClose for the one who destroyed it.
      done = true;
      if (conn) conn.destroy();
    },
  };
}

/** The plain side of the terminator: what the broker gets for each TLS connection. */
interface BrokerAccept {
  (conn: SimTcpConn, ip: string, port: number): SimTcpHandlers;
}

export interface TlsPortOptions extends Partial<TlsSimOptions> {
  /** Port on the cloud host (default 8883). */
  port?: number;
  /** Name in the server's certificate (default the cloud's DNS name). */
  certName?: string;
}

/** Counters of a TLS port. */
export interface TlsPortStats {
  accepted: number;
  handshakes: number;
  failed: number;
}

/**
 * Installs the broker's TLS port on the world's cloud host: TLS terminated here, the plain MQTT stream
 * handed to the world's broker exactly as a connection to its plain port would be (same keepalive, auth,
 * stop/restart behaviour), but without any connection to the plain port. Refuses connections while the
 * broker is stopped. Returns its counters.
 */
export function installTlsPort(world: any, opts?: TlsPortOptions): TlsPortStats {
  var o = opts || {};
  var port = o.port || TLS_PORT;
  var cloud = world.cloud;
  var broker = cloud.broker;
  var clock = world.clock;
  var stats: TlsPortStats = { accepted: 0, handshakes: 0, failed: 0 };
  var accept: BrokerAccept = function (conn, ip, p) {
    return broker._accept(conn, ip, p);
  };
  if (typeof broker._accept !== 'function') throw new Error('tls-sim: the broker has no _accept (sim/world/broker.ts changed)');
  cloud.host.listen(port, function (raw: SimTcpConn, ip: string, rport: number): SimTcpHandlers {
    stats.accepted++;
    var plain: SimTcpHandlers | null = null;
    var dead = false;
    if (!broker.running) {
      clock.setTimeout(function () {
        raw.destroy();
      }, 0);
    }
    var srv = new TlsSimServer({
      out: function (b) {
        if (!dead) raw.write(b);
      },
      up: function () {
        stats.handshakes++;
        world.log.add('tls', 'handshake ' + ip + ':' + rport + ' sni=' + srv.sni);
        // The broker's side of the plain stream: what it writes goes out encrypted.
        plain = accept({
          write: function (d: Buffer) {
            srv.write(d);
          },
          end: function () {
            srv.close();
            raw.end();
          },
          destroy: function () {
            dead = true;
            raw.destroy();
          },
        }, ip, rport);
        plain.onConnect();
      },
      data: function (b) {
        if (plain) plain.onData(b);
      },
      fail: function (why) {
        stats.failed++;
        world.log.add('tls', 'failed ' + ip + ':' + rport + ' ' + why);
        dead = true;
        raw.destroy();
      },
      closed: function () {
        if (plain) plain.onEnd();
      },
      later: function (fn, ms) {
        clock.setTimeout(fn, ms);
      },
    }, o.certName || cloud.name, o);
    return {
      onConnect: function () {},
      onData: function (d: Buffer) {
        srv.input(d);
      },
      onEnd: function () {
        if (plain) plain.onEnd();
        else raw.end();
      },
      onClose: function (r: TcpCloseReason) {
        dead = true;
        if (plain) plain.onClose(r);
      },
    };
  });
  world.log.add('tls', 'TLS port ' + port + ' on ' + cloud.name);
  return stats;
}

/**
 * Makes a CloudSession dial the broker over TLS only (TlsDial: the TLS port, by name; never plain text,
 * null on an interface without TLS), and report the TLS port to the manager's TCP-fallback probe.
 *
 * A stand-in until CloudSession has a TLS option of its own (see docs/security.md): it wraps the session's
 * MQTT client `connect`, so it must be applied before the session first connects.
 */
export function useTlsSession(session: any, serverName: string, tlsPort?: number): void {
  // The session's own TLS option (CloudSession's constructor options are kept in `_o`, read at connect).
  session._o.tls = true;
  session._o.tlsPort = tlsPort || TLS_PORT;
  if (serverName !== session._o.host) throw new Error('useTlsSession: server name ' + serverName + ' is not the session host ' + session._o.host);
}
