/**
 * A minimal in-test transport for the cloud tests: a NetInterface whose TCP sockets pipe bytes, with a
 * virtual-time latency, to a Node Duplex handed to an in-process aedes broker. The link can be cut
 * ("close": sockets end with E_NETDOWN; "silent": bytes vanish until the keepalive notices) and restored.
 * aedes works in real time, so tests drive both worlds with `settle`.
 */
import { Duplex } from 'stream';
import { Aedes } from 'aedes';
import * as mqtt from 'mqtt';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { IfBase } from '../../src/net/if-base';
import { IfCounters, NetInterface, TcpOptions, TcpSocket, UdpSocket } from '../../src/net/interface';
import { IF_READY, E_OK, E_NETDOWN, E_TIMEOUT } from '../../src/net/types';

/** Counts byte movements and stream events, so `settle` can tell a busy system from a quiet one. */
export const activity = { n: 0 };

export class FakeLink {
  up = true;
  latencyMs = 2;
  socks: FakeTcp[] = [];
  /** Connections opened (each one reached the broker). */
  opened = 0;
  constructor(public clock: VirtualClock, public attach: (s: Duplex) => void) {}

  /** Cuts the link: "close" ends every socket with E_NETDOWN; "silent" drops every byte from now on. */
  cut(mode: 'close' | 'silent'): void {
    this.up = false;
    if (mode === 'close') for (const s of this.socks.slice()) s._gone(E_NETDOWN);
  }

  restore(): void {
    this.up = true;
  }
}

export class FakeIface extends IfBase implements NetInterface {
  constructor(public link: FakeLink, id = 'eth0') {
    super(id, 'ethernet');
    this._st = IF_READY;
  }
  configured(): boolean {
    return true;
  }
  on(): void {}
  off(): void {}
  connect(): void {}
  disconnect(): void {}
  tcp(opts: TcpOptions): TcpSocket | null {
    return new FakeTcp(this.link, opts, this._cnt);
  }
  udp(): UdpSocket | null {
    return null;
  }
  resolve(host: string, cb: (err: number, ip: string) => void): void {
    this.link.clock.setTimeout(() => cb(E_OK, '10.0.0.1'), 1);
  }
}

export class FakeTcp implements TcpSocket {
  st = 0; // 0 opening, 1 open, 2 done
  duplex: Duplex | null = null;

  constructor(public link: FakeLink, public o: TcpOptions, public cnt: IfCounters) {
    const ck = link.clock;
    link.socks.push(this);
    ck.setTimeout(() => {
      if (this.st !== 0) return;
      if (!link.up) {
        ck.setTimeout(() => this._gone(E_TIMEOUT), o.timeoutMs || 5000);
        return;
      }
      const self = this;
      this.duplex = new Duplex({
        read() {},
        write(chunk: Buffer, _enc, cb) {
          activity.n++;
          const d = chunk.toString('latin1');
          ck.setTimeout(() => {
            if (self.st === 1 && link.up) {
              cnt.rx += d.length;
              if (self.o.onData) self.o.onData(d);
            }
          }, link.latencyMs);
          cb();
        },
        final(cb) {
          self._peerClosed();
          cb();
        },
        destroy(err, cb) {
          self._peerClosed();
          cb(err);
        },
      });
      this.st = 1;
      link.opened++;
      link.attach(this.duplex);
      if (o.onConnect) o.onConnect();
    }, link.latencyMs);
  }

  write(d: string): boolean {
    if (this.st !== 1) return false;
    this.cnt.tx += d.length;
    activity.n++;
    this.link.clock.setTimeout(() => {
      if (this.st === 1 && this.link.up) this.duplex!.push(Buffer.from(d, 'latin1'));
    }, this.link.latencyMs);
    return true;
  }

  close(): void {
    this._gone(E_OK);
  }

  /** The broker ended the stream: the close arrives after the bytes already under way. */
  _peerClosed(): void {
    activity.n++;
    if (this.st !== 1) return;
    this.link.clock.setTimeout(() => this._gone(E_OK), this.link.latencyMs);
  }

  _gone(code: number): void {
    if (this.st === 2) return;
    this.st = 2;
    const i = this.link.socks.indexOf(this);
    if (i >= 0) this.link.socks.splice(i, 1);
    if (this.duplex && !this.duplex.destroyed) this.duplex.destroy();
    this.link.clock.setTimeout(() => {
      if (this.o.onClose) this.o.onClose(code);
    }, 0);
  }
}

/**
 * Lets the real-time world (aedes, mqtt.js) and the virtual one move together until `cond()` holds:
 * each turn yields to Node's event loop and fires due virtual timers; when nothing moved for a few
 * turns, virtual time steps to the next timer (at most `stepMs`). False when `maxMs` of virtual time pass.
 */
export async function settle(clock: VirtualClock, cond: () => boolean, maxMs = 60000, stepMs = 50): Promise<boolean> {
  const end = clock.now() + maxMs;
  let seen = -1;
  let idle = 0;
  while (!cond()) {
    if (clock.now() >= end) return false;
    await new Promise((r) => setImmediate(r));
    clock.advance(0);
    if (activity.n !== seen) {
      seen = activity.n;
      idle = 0;
      continue;
    }
    if (++idle < 3) continue;
    const next = clock.nextDue();
    clock.advanceTo(Math.min(end, clock.now() + stepMs, next === undefined ? Infinity : next));
  }
  return true;
}

/** Runs virtual time forward by `ms` while letting the real-time world keep up. */
export async function run(clock: VirtualClock, ms: number): Promise<void> {
  const end = clock.now() + ms;
  await settle(clock, () => clock.now() >= end, ms + 1);
}

/** An in-process aedes with user/password checking (`users` null = anyone). */
export async function startBroker(users: { [user: string]: string } | null): Promise<Aedes> {
  const broker = new Aedes({ heartbeatInterval: 3600000 });
  broker.authenticate = (_client, user, pass, done) => {
    if (!users || (user !== undefined && users[user] !== undefined && pass && pass.toString() === users[user])) return done(null, true);
    const e: any = new Error('bad user name or password');
    e.returnCode = 4;
    done(e, null);
  };
  await broker.listen();
  return broker;
}

export function stopBroker(b: Aedes): Promise<void> {
  return new Promise((r) => b.close(() => r()));
}

/** Two Duplex ends wired to each other in memory. */
export function memPair(): [Duplex, Duplex] {
  let a: Duplex;
  let b: Duplex;
  const mk = (other: () => Duplex) =>
    new Duplex({
      read() {},
      write(c, _e, cb) {
        activity.n++;
        other().push(c);
        cb();
      },
      final(cb) {
        other().push(null);
        cb();
      },
      destroy(err, cb) {
        const o = other();
        if (!o.destroyed) o.destroy();
        cb(err);
      },
    });
  a = mk(() => b);
  b = mk(() => a);
  return [a, b];
}

/** An mqtt.js client (the outside world: a cloud app) connected to `broker` in memory. */
export function outsideClient(broker: Aedes, opts: mqtt.IClientOptions = {}): Promise<mqtt.MqttClient> {
  const [a, b] = memPair();
  broker.handle(b);
  const c = new mqtt.MqttClient(() => a as any, { clientId: 'app' + Math.random().toString(16).slice(2), protocolVersion: 4, reconnectPeriod: 0, keepalive: 0, ...opts });
  return new Promise((res, rej) => {
    c.once('connect', () => res(c));
    c.once('error', rej);
  });
}
