/**
 * A DNS stub resolver for A records over any UdpSocket of the net/ contract: retries with a timeout per
 * try (rotating over the servers), a TTL cache of bounded size, concurrent queries (bounded), duplicate
 * questions folded into one query. Retry counters belong to each query (ioLibrary issue #46).
 */
import { Clock } from '../../hal/clock';
import { Log, NULL_LOG, LOG_DEBUG } from '../../hal/log';
import { UdpOptions, UdpSocket } from './interface';
import { E_OK, E_DNS, E_TIMEOUT, E_NETDOWN, E_NO_SOCKET } from './types';
import { isIpv4 } from './ip';
import { encodeQuery, decodeDns, answerA, validName, DNS_PORT, TYPE_A, RCODE_OK, RCODE_NXDOMAIN } from './dns-codec';

export interface DnsClientOptions {
  clock: Clock;
  log?: Log;
  /** Opens a UDP socket on an ephemeral port; null when none is free. */
  udp: (opts: UdpOptions) => UdpSocket | null;
  /** The DNS servers to ask (dotted quads), read at each try. */
  servers: () => string[];
  /** Wait per try. Default 2000. */
  timeoutMs?: number;
  /** Tries per query (all servers rotated). Default 3. */
  tries?: number;
  /** Cached names. Default 8. */
  cacheMax?: number;
  /** TTL cap in seconds. Default 3600. */
  maxTtlS?: number;
  /** Queries in flight. Default 4. */
  maxPending?: number;
}

interface Query {
  id: number;
  name: string;
  cbs: Array<(err: number, ip: string) => void>;
  tries: number;
  due: number;
}

interface CacheEntry {
  n: string;
  ip: string;
  exp: number;
}

/** The resolver. */
export class DnsClient {
  _o: DnsClientOptions;
  _clk: Clock;
  _log: Log;
  _q: Query[] = [];
  _c: CacheEntry[] = [];
  _sock: UdpSocket | null = null;
  _id = 0;
  _tm: any;
  _onTm: () => void;
  _onMsg: (data: string, host: string, port: number) => void;
  _onSockClose: (err: number) => void;

  constructor(opts: DnsClientOptions) {
    if (!opts || !opts.clock || typeof opts.udp !== 'function' || typeof opts.servers !== 'function')
      throw new TypeError('DnsClient: clock, udp and servers are required');
    this._o = opts;
    this._clk = opts.clock;
    this._log = opts.log || NULL_LOG;
    this._id = Math.floor(Math.random() * 0xffff);
    this._onTm = this._timer.bind(this);
    this._onMsg = this._msg.bind(this);
    this._onSockClose = this._sockClosed.bind(this);
  }

  /**
   * Resolves `name` to an IPv4 address: `cb(E_OK, ip)`, or `cb(E_DNS, '')` (no such name, invalid name,
   * server failure), `cb(E_TIMEOUT, '')`, `cb(E_NO_SOCKET, '')`. A dotted quad answers itself. Always async.
   */
  resolve(name: string, cb: (err: number, ip: string) => void): void {
    var clk = this._clk;
    var fin = function (err: number, ip: string) {
      clk.setTimeout(function () {
        cb(err, ip);
      }, 0);
    };
    if (isIpv4(name)) return fin(E_OK, name);
    var key = name.toLowerCase();
    if (key.charAt(key.length - 1) === '.') key = key.substr(0, key.length - 1);
    if (!validName(key) || isIpv4(key)) return fin(E_DNS, '');
    var hit = this.cached(key);
    if (hit) return fin(E_OK, hit);
    for (var i = 0; i < this._q.length; i++) {
      if (this._q[i].name === key) {
        this._q[i].cbs.push(cb);
        return;
      }
    }
    if (this._q.length >= (this._o.maxPending || 4)) return fin(E_NO_SOCKET, '');
    if (!this._open()) return fin(E_NO_SOCKET, '');
    this._id = (this._id + 1) & 0xffff;
    var q: Query = { id: this._id, name: key, cbs: [cb], tries: 0, due: 0 };
    this._q.push(q);
    this._try(q);
  }

  /** The cached address of `name`, or '' (expired entries are dropped). */
  cached(name: string): string {
    var now = this._clk.now(), c = this._c;
    for (var i = 0; i < c.length; i++) {
      if (c[i].n !== name) continue;
      var e = c[i];
      c.splice(i, 1);
      if (e.exp <= now) return '';
      c.push(e);
      return e.ip;
    }
    return '';
  }

  /** Drops the cache and fails every query in flight with E_NETDOWN (interface down). */
  reset(): void {
    this._c = [];
    var q = this._q;
    this._q = [];
    this._clk.clearTimeout(this._tm);
    this._tm = undefined;
    this._close();
    for (var i = 0; i < q.length; i++) this._done(q[i], E_NETDOWN, '');
  }

  _open(): boolean {
    if (!this._sock) this._sock = this._o.udp({ port: 0, onMessage: this._onMsg, onClose: this._onSockClose });
    return !!this._sock;
  }

  _close(): void {
    var s = this._sock;
    this._sock = null;
    if (s) s.close();
  }

  _sockClosed(): void {
    this._sock = null;
    var q = this._q;
    this._q = [];
    this._clk.clearTimeout(this._tm);
    this._tm = undefined;
    for (var i = 0; i < q.length; i++) this._done(q[i], E_NETDOWN, '');
  }

  /** Sends try number `q.tries` to the next server and arms the timer. */
  _try(q: Query): void {
    var sv = this._o.servers(), srv = sv.length ? sv[q.tries % sv.length] : '';
    q.tries++;
    q.due = this._clk.now() + (this._o.timeoutMs || 2000);
    if (!srv || !isIpv4(srv) || srv === '0.0.0.0' || !this._sock) {
      this._log.log(LOG_DEBUG, 'dns', 'no server');
    } else {
      this._sock.send(encodeQuery(q.id, q.name, TYPE_A), srv, DNS_PORT);
    }
    this._arm();
  }

  /** One timer for every query: the earliest due. */
  _arm(): void {
    this._clk.clearTimeout(this._tm);
    this._tm = undefined;
    var due = -1;
    for (var i = 0; i < this._q.length; i++) if (due < 0 || this._q[i].due < due) due = this._q[i].due;
    if (due >= 0) this._tm = this._clk.setTimeout(this._onTm, due - this._clk.now());
  }

  _timer(): void {
    this._tm = undefined;
    var now = this._clk.now(), max = this._o.tries || 3;
    var q = this._q.slice();
    for (var i = 0; i < q.length; i++) {
      if (q[i].due > now) continue;
      if (q[i].tries >= max) this._finish(q[i], E_TIMEOUT, '');
      else this._try(q[i]);
    }
    this._arm();
  }

  _msg(data: string): void {
    var m = decodeDns(data);
    if (!m || !(m.flags & 0x8000)) return;
    for (var i = 0; i < this._q.length; i++) {
      var q = this._q[i];
      if (q.id !== m.id || m.qname.toLowerCase() !== q.name) continue;
      var a = m.rcode === RCODE_OK ? answerA(m, q.name) : null;
      if (a) {
        // Cache it (TTL capped at maxTtlS; none for a TTL of 0), evicting the oldest beyond cacheMax.
        var ttl = a.ttl > (this._o.maxTtlS || 3600) ? this._o.maxTtlS || 3600 : a.ttl;
        if (ttl > 0) {
          var c = this._c;
          for (var k = 0; k < c.length; k++) if (c[k].n === q.name) c.splice(k--, 1);
          while (c.length >= (this._o.cacheMax || 8)) c.shift();
          c.push({ n: q.name, ip: a.ip, exp: this._clk.now() + ttl * 1000 });
        }
        this._finish(q, E_OK, a.ip);
      } else if (m.rcode === RCODE_OK || m.rcode === RCODE_NXDOMAIN || q.tries >= (this._o.tries || 3)) {
        this._finish(q, E_DNS, '');
      } else {
        this._try(q);
      }
      return;
    }
  }

  /** Removes `q`, calls its callbacks, closes the socket when nothing is left in flight. */
  _finish(q: Query, err: number, ip: string): void {
    var i = this._q.indexOf(q);
    if (i >= 0) this._q.splice(i, 1);
    if (!this._q.length) {
      this._clk.clearTimeout(this._tm);
      this._tm = undefined;
      this._close();
    } else this._arm();
    this._done(q, err, ip);
  }

  _done(q: Query, err: number, ip: string): void {
    for (var i = 0; i < q.cbs.length; i++) q.cbs[i](err, ip);
  }
}
