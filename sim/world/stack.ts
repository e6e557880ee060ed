import { SimTcpConn, SimTcpHandlers, SimUdpPort } from '../nic';
import { NetCore } from './core';
import { ANY, BROADCAST, F_ACK, F_RST, F_SYN, Packet, TCP_OVERHEAD, udpPacket } from './packet';
import { TcpEndpoint, TcpOwner } from './tcp';

/** Receives the datagrams of one UDP port. */
export type UdpHandler = (srcIp: string, srcPort: number, data: Buffer) => void;

/** What a listener gets for each accepted connection; it returns the connection's handlers. */
export type AcceptHandler = (conn: SimTcpConn, remoteIp: string, remotePort: number) => SimTcpHandlers;

/** A listening TCP port. */
export interface TcpListener {
  close(): void;
}

const EPHEMERAL_FIRST = 49152;
const EPHEMERAL_LAST = 65535;

/**
 * A host's protocol stack: UDP ports, TCP endpoints and listeners, ephemeral ports. Device NICs and world
 * hosts both are stacks; they differ in how packets leave (`output`) and which address they have.
 */
export abstract class Stack implements TcpOwner {
  readonly core: NetCore;
  private _udp: { [port: number]: UdpHandler } = {};
  private _tcp: { [key: string]: TcpEndpoint } = {};
  private _listeners: { [port: number]: AcceptHandler } = {};
  private _nextPort = EPHEMERAL_FIRST;

  constructor(core: NetCore) {
    this.core = core;
  }

  /** The address packets leave from; null = unconfigured. */
  abstract localIp(): string | null;
  /** Sends a packet into the world. */
  abstract output(pkt: Packet): void;
  /** Name used in the event log. */
  abstract label(): string;

  /** Opens a UDP port (0 = ephemeral). Throws when it is taken. */
  udpOpen(localPort: number, onDatagram: UdpHandler): SimUdpPort {
    var port = localPort || this._ephemeral(true);
    if (this._udp[port]) throw new Error(this.label() + ': UDP port ' + port + ' is in use');
    this._udp[port] = onDatagram;
    var self = this;
    var open = true;
    return {
      send: function (dstIp: string, dstPort: number, data: Buffer) {
        if (!open) return;
        var src = self.localIp();
        if (!src) {
          // Unconfigured: only broadcasts (DHCP) can leave, from 0.0.0.0.
          if (dstIp !== BROADCAST) return;
          src = ANY;
        }
        self.output(udpPacket(src, port, dstIp, dstPort, Buffer.from(data)));
      },
      close: function () {
        if (!open) return;
        open = false;
        if (self._udp[port] === onDatagram) delete self._udp[port];
      },
    };
  }

  /** Opens a TCP connection from `localPort` (0 = ephemeral). */
  tcpConnect(dstIp: string, dstPort: number, localPort: number, h: SimTcpHandlers): SimTcpConn {
    var src = this.localIp();
    var port = localPort || this._ephemeral(false);
    var ep = new TcpEndpoint(this, src || ANY, port, dstIp, dstPort, h);
    if (!src) {
      this.core.log.add('tcp', this.label() + ' ' + ep.describe() + ' unreachable');
      this.core.clock.setTimeout(function () {
        h.onClose('unreachable');
      }, 0);
      return ep;
    }
    var key = ep.key();
    if (this._tcp[key]) throw new Error(this.label() + ': TCP ' + ep.describe() + ' exists');
    this._tcp[key] = ep;
    this.core.log.add('tcp', this.label() + ' ' + ep.describe() + ' connect');
    ep.open();
    return ep;
  }

  /** Listens on a TCP port. Throws when it is taken. */
  listen(port: number, onAccept: AcceptHandler): TcpListener {
    if (this._listeners[port]) throw new Error(this.label() + ': TCP port ' + port + ' is in use');
    this._listeners[port] = onAccept;
    var self = this;
    return {
      close: function () {
        if (self._listeners[port] === onAccept) delete self._listeners[port];
      },
    };
  }

  /** Is something listening on `port`? */
  listening(port: number): boolean {
    return !!this._listeners[port];
  }

  /** Open TCP endpoints (for tests and teardown). */
  connections(): TcpEndpoint[] {
    var out: TcpEndpoint[] = [];
    for (var k in this._tcp) out.push(this._tcp[k]);
    return out;
  }

  /** A packet addressed to this stack arrived. */
  receive(p: Packet): void {
    if (p.proto === 'udp') {
      var u = this._udp[p.dport];
      if (u) u(p.src, p.sport, p.data);
      return;
    }
    var ep = this._tcp[p.dport + '|' + p.src + '|' + p.sport];
    if (ep) {
      ep.input(p);
      return;
    }
    if (p.flags & F_RST) return;
    var me = this.localIp();
    if (!me || me !== p.dst) return;
    if (p.flags & F_SYN && !(p.flags & F_ACK)) {
      if (this._listeners[p.dport]) {
        var pe = new TcpEndpoint(this, me, p.dport, p.src, p.sport, null);
        this._tcp[pe.key()] = pe;
        pe.accept(p);
        return;
      }
      // Nobody listens: connection refused.
      this._rst(p, p.seq + 1);
      return;
    }
    this._rst(p, p.seq + p.data.length);
  }

  /** Aborts every open connection with an RST (a crashed or restarted server process). */
  resetAll(): void {
    var eps = this.connections();
    this._tcp = {};
    for (var i = 0; i < eps.length; i++) eps[i].destroy();
  }

  tcpRemove(ep: TcpEndpoint): void {
    var k = ep.key();
    if (this._tcp[k] === ep) delete this._tcp[k];
  }

  tcpAccepted(ep: TcpEndpoint): void {
    var l = this._listeners[ep.localPort];
    if (!l) {
      ep.destroy();
      return;
    }
    ep.h = l(ep, ep.remoteIp, ep.remotePort);
    ep.h.onConnect();
  }

  private _rst(p: Packet, ack: number): void {
    this.output({
      proto: 'tcp', src: p.dst, sport: p.dport, dst: p.src, dport: p.sport,
      data: Buffer.alloc(0), size: TCP_OVERHEAD, flags: F_RST | F_ACK, seq: p.ack, ack: ack,
    });
  }

  private _ephemeral(udp: boolean): number {
    for (var i = 0; i <= EPHEMERAL_LAST - EPHEMERAL_FIRST; i++) {
      var p = this._nextPort;
      this._nextPort = p >= EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
      if (udp ? !this._udp[p] : !this._portUsedTcp(p)) return p;
    }
    throw new Error(this.label() + ': no free ephemeral port');
  }

  private _portUsedTcp(port: number): boolean {
    for (var k in this._tcp) if (this._tcp[k].localPort === port) return true;
    return !!this._listeners[port];
  }
}
