import { NetCore } from './core';
import { Host } from './host';
import { SimUdpPort } from '../nic';
import { CLASS_IN, decodeDns, DNS_PORT, encodeDns, RCODE_NXDOMAIN, RCODE_OK, TYPE_A } from './dns-packet';

export interface DnsServerOptions {
  /** Name → IPv4 address (names are case-insensitive). */
  records: { [name: string]: string };
  /** TTL of answers, seconds. */
  ttl: number;
  /** Processing delay before each answer. */
  delayMs: number;
  /** Drops every query (a dead resolver). */
  silent: boolean;
}

/**
 * A DNS server on UDP 53 (RFC 1035 wire format): A queries for known names get their address, unknown
 * names NXDOMAIN, other types of known names an empty NOERROR. It can be made silent.
 */
export class DnsServer {
  readonly host: Host;
  private _core: NetCore;
  private _o: DnsServerOptions;
  private _records: { [name: string]: string } = {};
  private _port: SimUdpPort;

  constructor(core: NetCore, host: Host, opts?: Partial<DnsServerOptions>) {
    this._core = core;
    this.host = host;
    this._o = { records: {}, ttl: 300, delayMs: 1, silent: false };
    this.set(opts || {});
    var self = this;
    this._port = host.udpOpen(DNS_PORT, function (src, sport, data) {
      self._input(src, sport, data);
    });
  }

  /** Changes settings; `records` are added to (set an address to '' to remove a name). */
  set(opts: Partial<DnsServerOptions>): void {
    if (opts.records) {
      for (var n in opts.records) {
        var ip = opts.records[n];
        if (ip) this._records[n.toLowerCase()] = ip;
        else delete this._records[n.toLowerCase()];
      }
    }
    if (opts.ttl !== undefined) this._o.ttl = opts.ttl;
    if (opts.delayMs !== undefined) this._o.delayMs = opts.delayMs;
    if (opts.silent !== undefined && opts.silent !== this._o.silent) {
      this._o.silent = opts.silent;
      this._core.log.add('dns', 'server silent=' + opts.silent);
    }
  }

  /** Adds or changes one record. */
  add(name: string, ip: string): void {
    this._records[name.toLowerCase()] = ip;
  }

  /** The address of `name`, or undefined. */
  lookup(name: string): string | undefined {
    return this._records[name.toLowerCase()];
  }

  get silent(): boolean {
    return this._o.silent;
  }

  private _input(src: string, sport: number, data: Buffer): void {
    var q = decodeDns(data);
    if (!q || q.qr || !q.questions.length) return;
    var qn = q.questions[0];
    if (this._o.silent) {
      this._core.log.add('dns', 'query ' + qn.name + ' from ' + src + ' dropped (silent)');
      return;
    }
    var ip = this._records[qn.name.toLowerCase()];
    var answers = ip && qn.type === TYPE_A ? [{ name: qn.name, type: TYPE_A, cls: CLASS_IN, ttl: this._o.ttl, data: ip }] : [];
    var rcode = ip ? RCODE_OK : RCODE_NXDOMAIN;
    var out = encodeDns({ id: q.id, qr: true, opcode: 0, aa: true, tc: false, rd: q.rd, ra: true, rcode: rcode, questions: [qn], answers: answers });
    this._core.log.add('dns', 'query ' + qn.name + ' from ' + src + ' -> ' + (ip ? (answers.length ? ip : 'no ' + qn.type + ' record') : 'NXDOMAIN'));
    var port = this._port;
    this._core.clock.setTimeout(function () {
      port.send(src, sport, out);
    }, this._o.delayMs);
  }
}
