/**
 * A cellular network for the SIM7600 model whose PDP context is the host's own network: the model's
 * sockets become real Node sockets. With the model behind a pseudo-terminal (pty-bridge.ts), a device in
 * the real Espruino interpreter drives a SIM7600 over a real serial device and reaches a real broker
 * through it (the end-to-end check's second interface, cell0). Host only.
 */
import * as dgram from 'dgram';
import * as net from 'net';
import { Clock } from '../../hal/clock';
import { CellNetwork, SimNic, SimTcpConn, SimTcpHandlers, SimUdpPort, TcpCloseReason } from '../../sim/nic';

/** The PDP NIC: real sockets; `down()` destroys them all. */
export class RealPdpNic implements SimNic {
  readonly name = 'pdp0';
  _ip: string | null = '10.64.0.2';
  _socks: Array<{ kill(): void }> = [];
  /** Datagrams sent, per destination "ip:port" (shared by every PDP context of one network). */
  sent: { [dst: string]: number };

  constructor(sent: { [dst: string]: number }) {
    this.sent = sent;
  }

  linkUp(): boolean {
    return true;
  }

  onLink(): () => void {
    return () => undefined;
  }

  setAddress(ip: string | null): void {
    this._ip = ip;
  }

  address(): string | null {
    return this._ip;
  }

  onAddress(): () => void {
    return () => undefined;
  }

  down(): void {
    var s = this._socks;
    this._socks = [];
    for (var x of s) x.kill();
  }

  udpOpen(localPort: number, onDatagram: (srcIp: string, srcPort: number, data: Buffer) => void): SimUdpPort {
    var sock = dgram.createSocket('udp4');
    var open = true;
    sock.on('message', (m, r) => {
      if (open) onDatagram(r.address, r.port, m);
    });
    sock.on('error', () => undefined);
    sock.bind(0, '127.0.0.1');
    var entry = {
      kill: () => {
        if (open) sock.close();
        open = false;
      },
    };
    this._socks.push(entry);
    void localPort;
    return {
      send: (ip, port, data) => {
        if (!open) return;
        this.sent[ip + ':' + port] = (this.sent[ip + ':' + port] || 0) + 1;
        sock.send(data, port, ip);
      },
      close: () => entry.kill(),
    };
  }

  tcpConnect(dstIp: string, dstPort: number, localPort: number, h: SimTcpHandlers): SimTcpConn {
    var s = net.connect({ host: dstIp, port: dstPort });
    var done = false;
    var connected = false;
    var reason: TcpCloseReason = 'closed';
    var close = (r: TcpCloseReason) => {
      if (done) return;
      done = true;
      h.onClose(r);
    };
    s.on('connect', () => {
      connected = true;
      h.onConnect();
    });
    s.on('data', (d) => h.onData(d));
    s.on('end', () => h.onEnd());
    s.on('error', (e: any) => {
      reason = !connected ? (e.code === 'ECONNREFUSED' ? 'refused' : 'unreachable') : 'reset';
    });
    s.on('close', () => close(reason));
    this._socks.push({ kill: () => s.destroy() });
    void localPort;
    return {
      write: (d) => {
        if (connected && !done) s.write(d);
      },
      end: () => s.end(),
      destroy: () => {
        done = true;
        s.destroy();
      },
    };
  }

  resolve(name: string, cb: (ip: string | null) => void): void {
    var ip = net.isIPv4(name) ? name : name === 'localhost' ? '127.0.0.1' : null;
    setTimeout(() => cb(ip), 5);
  }
}

/** Registered (home) `regDelayMs` after the radio comes on; the PDP context opens at once. */
export class RealCellNetwork implements CellNetwork {
  nic: RealPdpNic | null = null;
  /** Datagrams sent through the PDP contexts, per destination "ip:port". */
  sent: { [dst: string]: number } = {};
  _clk: Clock;
  _regDelayMs: number;
  _radio = false;
  _regAt = 0;
  _last = -1;
  _regL: Array<(s: number) => void> = [];
  _lostL: Array<() => void> = [];

  /** The radio starts on (a modem that was already running), registering after `regDelayMs`. */
  constructor(clock: Clock, regDelayMs = 300) {
    this._clk = clock;
    this._regDelayMs = regDelayMs;
    this.radio(true);
  }

  sim(): 'READY' {
    return 'READY';
  }

  pin(): string {
    return '';
  }

  radio(on: boolean): void {
    this._radio = on;
    if (on) {
      this._regAt = this._clk.now() + this._regDelayMs;
      this._clk.setTimeout(() => this._fire(), this._regDelayMs);
    } else this.deactivate();
    this._fire();
  }

  registration(): number {
    return this._radio && this._clk.now() >= this._regAt ? 1 : this._radio ? 2 : 0;
  }

  onRegistration(cb: (stat: number) => void): () => void {
    this._regL.push(cb);
    return () => {
      var i = this._regL.indexOf(cb);
      if (i >= 0) this._regL.splice(i, 1);
    };
  }

  _fire(): void {
    var s = this.registration();
    if (s === this._last) return;
    this._last = s;
    for (var f of this._regL.slice()) f(s);
  }

  csq(): number {
    return 20;
  }

  cnsmod(): number {
    return 8;
  }

  activate(apn: string, user: string, password: string, cb: (err: string | null, nic: SimNic | null) => void): void {
    this._clk.setTimeout(() => {
      var st = this.registration();
      if (st !== 1) return cb('not registered', null);
      if (this.nic) this.nic.down();
      this.nic = new RealPdpNic(this.sent);
      cb(null, this.nic);
    }, 50);
  }

  deactivate(): void {
    if (this.nic) this.nic.down();
    this.nic = null;
  }

  onPdpLost(cb: () => void): () => void {
    this._lostL.push(cb);
    return () => {
      var i = this._lostL.indexOf(cb);
      if (i >= 0) this._lostL.splice(i, 1);
    };
  }
}
