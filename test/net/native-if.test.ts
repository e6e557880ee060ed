import { strict as assert } from 'assert';
import * as net from 'net';
import * as dgram from 'dgram';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { RealClock } from '../../hal/host/real-clock';
import { NodeSockets } from '../../hal/host/node-sockets';
import { NativeSockets, NativeTcpHandlers, NativeUdpHandlers } from '../../hal/sockets';
import { NativeIf } from '../../src/net/native-if';
import { nativeError, NativeNet } from '../../src/net/native-sockets';
import {
  IF_OFF, IF_ON, IF_READY, IF_STATES, E_OK, E_REFUSED, E_TIMEOUT, E_RESET, E_NETDOWN, E_DNS, E_DEVICE,
} from '../../src/net/types';
import { nameAt } from '../../src/util/names';

/** NativeSockets whose sockets the test drives by hand. */
class ScriptedSockets implements NativeSockets {
  tcps: Array<{ host: string; port: number; h: NativeTcpHandlers; sent: string[]; ended: boolean; room: boolean }> = [];
  udps: Array<{ port: number; h: NativeUdpHandlers; sent: string[]; closed: boolean }> = [];
  names: { [n: string]: string } = {};
  connect(host: string, port: number, h: NativeTcpHandlers) {
    const t = { host, port, h, sent: [] as string[], ended: false, room: true };
    this.tcps.push(t);
    return {
      write: (d: string) => {
        t.sent.push(d);
        return t.room;
      },
      end: () => {
        t.ended = true;
      },
    };
  }
  udp(port: number, h: NativeUdpHandlers) {
    const u = { port, h, sent: [] as string[], closed: false };
    this.udps.push(u);
    return {
      send: (d: string, a: string, p: number) => void u.sent.push(a + ':' + p + ':' + d),
      close: () => void (u.closed = true),
    };
  }
  resolve(host: string, cb: (ip: string | null) => void) {
    cb(this.names[host] || null);
  }
}

describe('NativeIf with TLS', () => {
  it('never downgrades a TLS request to plain text: no TLS connect in the stack, no socket', () => {
    const clock = new VirtualClock();
    const ns = new ScriptedSockets();
    const nif = new NativeIf({ sockets: ns, clock, info: { ip: '192.168.1.9' } });
    nif.connect();
    clock.advance(10);
    assert.equal(nif.state(), IF_READY);
    assert.equal(nif.canTls(), false);
    assert.equal(nif.tcp({ host: '10.0.0.1', port: 8883, tls: true }), null);
    assert.equal(ns.tcps.length, 0, 'nothing was dialled in plain text');
  });

  it('dials through the TLS connect of the stack when it has one', () => {
    const clock = new VirtualClock();
    const ns = new ScriptedSockets() as ScriptedSockets & { connectTls?: any };
    const tls: string[] = [];
    ns.connectTls = (host: string, port: number, h: NativeTcpHandlers) => {
      tls.push(host + ':' + port);
      return { write: () => true, end: () => {} };
    };
    const nif = new NativeIf({ sockets: ns, clock, info: { ip: '192.168.1.9' } });
    nif.connect();
    clock.advance(10);
    assert.equal(nif.canTls(), true);
    assert.notEqual(nif.tcp({ host: '10.0.0.1', port: 8883, tls: true }), null);
    assert.deepEqual(tls, ['10.0.0.1:8883']);
    assert.equal(ns.tcps.length, 0);
  });
});

describe('NativeIf', () => {
  let clock: VirtualClock;
  let ns: ScriptedSockets;
  let nif: NativeIf;
  let states: string[];

  beforeEach(() => {
    clock = new VirtualClock();
    ns = new ScriptedSockets();
    nif = new NativeIf({ sockets: ns, clock, info: { ip: '192.168.1.9' } });
    states = [];
    nif.events.on('state', (s) => states.push(nameAt(IF_STATES, s)));
  });

  const ready = () => {
    nif.connect();
    clock.advance(0);
  };

  it('is eth0/ethernet by default, configured, and ready once connected', () => {
    assert.equal(nif.id, 'eth0');
    assert.equal(nif.kind, 'ethernet');
    assert.ok(nif.configured());
    assert.equal(nif.info().ip, '192.168.1.9');
    ready();
    assert.equal(nif.state(), IF_READY);
    assert.deepEqual(states, ['powering_on', 'on', 'connecting', 'ready']);
  });

  it('gives no socket before ready', () => {
    assert.equal(nif.tcp({ host: 'h', port: 1 }), null);
    assert.equal(nif.udp({}), null);
  });

  it('adapts TCP: connect, data, byte counts, a full buffer refusing until the drain', () => {
    ready();
    const ev: string[] = [];
    const s = nif.tcp({ host: 'h', port: 1883, onConnect: () => ev.push('c'), onData: (d) => ev.push('d:' + d), onWritable: () => ev.push('w') })!;
    const t = ns.tcps[0];
    assert.equal(s.write('early'), false, 'not connected yet');
    t.h.onConnect();
    t.room = false;
    assert.equal(s.write('abc'), true, 'the runtime took it');
    assert.equal(s.write('def'), false, 'full: refused');
    t.h.onDrain();
    assert.equal(s.write('ghi'), true);
    t.h.onData('xy');
    assert.deepEqual(ev, ['c', 'w', 'd:xy']);
    assert.deepEqual(t.sent, ['abc', 'ghi']);
    assert.deepEqual(nif.counters(), { tx: 6, rx: 2 });
  });

  it('close() ends the native socket and reports E_OK once, asynchronously', () => {
    ready();
    const closes: number[] = [];
    const s = nif.tcp({ host: 'h', port: 1, onClose: (e) => closes.push(e) })!;
    ns.tcps[0].h.onConnect();
    s.close();
    s.close();
    assert.deepEqual(closes, []);
    clock.advance(0);
    ns.tcps[0].h.onClose(null);
    assert.deepEqual(closes, [E_OK]);
    assert.ok(ns.tcps[0].ended);
  });

  it('maps native close errors, and a close before connecting to E_REFUSED', () => {
    ready();
    const closes: number[] = [];
    nif.tcp({ host: 'h', port: 1, onClose: (e) => closes.push(e) });
    nif.tcp({ host: 'h', port: 1, onClose: (e) => closes.push(e) });
    ns.tcps[0].h.onClose('connect ECONNREFUSED 1.2.3.4:1');
    ns.tcps[1].h.onConnect();
    ns.tcps[1].h.onClose(null);
    nif.tcp({ host: 'h', port: 1, onClose: (e) => closes.push(e) });
    ns.tcps[2].h.onClose(null);
    assert.deepEqual(closes, [E_REFUSED, E_OK, E_REFUSED]);
  });

  it('times a connect out', () => {
    ready();
    const closes: number[] = [];
    nif.tcp({ host: 'h', port: 1, timeoutMs: 3000, onClose: (e) => closes.push(e) });
    clock.advance(2999);
    assert.deepEqual(closes, []);
    clock.advance(1);
    assert.deepEqual(closes, [E_TIMEOUT]);
    assert.ok(ns.tcps[0].ended);
  });

  it('off() closes every socket with E_NETDOWN', () => {
    ready();
    const closes: string[] = [];
    nif.tcp({ host: 'h', port: 1, onClose: (e) => closes.push('t' + e) });
    nif.udp({ onClose: (e) => closes.push('u' + e) });
    nif.off();
    clock.advance(0);
    assert.deepEqual(closes.sort(), ['t' + E_NETDOWN, 'u' + E_NETDOWN]);
    assert.equal(nif.state(), IF_OFF);
    assert.ok(ns.udps[0].closed);
  });

  it('disconnect() goes back to on and frees the socket slots', () => {
    const n2 = new NativeIf({ sockets: ns, clock, maxSockets: 1 });
    n2.connect();
    clock.advance(0);
    assert.ok(n2.tcp({ host: 'h', port: 1 }));
    assert.equal(n2.tcp({ host: 'h', port: 1 }), null, 'at maxSockets');
    n2.disconnect();
    assert.equal(n2.state(), IF_ON);
    n2.connect();
    clock.advance(0);
    assert.ok(n2.tcp({ host: 'h', port: 1 }));
  });

  it('adapts UDP: send, receive, counts, refuses oversize datagrams; a native error ends it', () => {
    ready();
    const got: string[] = [];
    const closes: number[] = [];
    const u = nif.udp({ port: 5000, onMessage: (d, h, p) => got.push(h + ':' + p + ':' + d), onClose: (e) => closes.push(e) })!;
    assert.equal(ns.udps[0].port, 5000);
    assert.ok(u.send('ping', '10.0.0.1', 7));
    assert.equal(u.send('x'.repeat(1473), '10.0.0.1', 7), false);
    ns.udps[0].h.onMessage('pong', '10.0.0.1', 7);
    assert.deepEqual(ns.udps[0].sent, ['10.0.0.1:7:ping']);
    assert.deepEqual(got, ['10.0.0.1:7:pong']);
    assert.deepEqual(nif.counters(), { tx: 4, rx: 4 });
    ns.udps[0].h.onError('boom');
    assert.deepEqual(closes, [E_DEVICE]);
    assert.equal(u.send('x', '10.0.0.1', 7), false);
  });

  it('resolves names through NativeSockets.resolve, dotted quads as themselves', () => {
    ready();
    ns.names['cloud.local'] = '10.1.2.3';
    const r: string[] = [];
    nif.resolve('cloud.local', (e, ip) => r.push(e + ' ' + ip));
    nif.resolve('nowhere', (e, ip) => r.push(e + ' ' + ip));
    nif.resolve('1.2.3.4', (e, ip) => r.push(e + ' ' + ip));
    clock.advance(0);
    assert.deepEqual(r, [E_OK + ' 10.1.2.3', E_DNS + ' ', E_OK + ' 1.2.3.4']);
  });

  it('NativeNet makes the same sockets for other interfaces', () => {
    const n = new NativeNet({ sockets: ns, clock });
    const s = n.tcp({ host: 'h', port: 2 })!;
    ns.tcps[0].h.onConnect();
    assert.ok(s.write('abc'));
    assert.deepEqual(n.cnt, { tx: 3, rx: 0 });
  });
});

describe('nativeError', () => {
  it('maps Node and Espruino messages', () => {
    assert.equal(nativeError(null), E_OK);
    assert.equal(nativeError('connect ECONNREFUSED 127.0.0.1:1'), E_REFUSED);
    assert.equal(nativeError('connect ETIMEDOUT'), E_TIMEOUT);
    assert.equal(nativeError('read ECONNRESET'), E_RESET);
    assert.equal(nativeError('connect ENETUNREACH'), E_NETDOWN);
    assert.equal(nativeError('getaddrinfo ENOTFOUND nowhere'), E_DNS);
    assert.equal(nativeError('connection timed out'), E_TIMEOUT);
  });
});

describe('NodeSockets + NativeIf (real sockets)', () => {
  it('talks TCP to a local server and UDP to a local echo', async () => {
    const server = net.createServer((c) => c.on('data', (d) => c.write(Buffer.concat([Buffer.from('>'), d]))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const echo = dgram.createSocket('udp4');
    echo.on('message', (m, ri) => echo.send(m, ri.port, ri.address));
    await new Promise<void>((r) => echo.bind(0, '127.0.0.1', () => r()));
    const ns = new NodeSockets();
    const nif = new NativeIf({ sockets: ns, clock: new RealClock() });
    try {
      nif.connect();
      await new Promise((r) => setTimeout(r, 5));
      const got: string[] = [];
      const closed: number[] = [];
      const s = nif.tcp({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, onConnect: () => s.write('\x00\xff'), onData: (d) => got.push(d), onClose: (e) => closed.push(e) })!;
      const u = nif.udp({ onMessage: (d) => got.push('udp ' + d) })!;
      u.send('hi', '127.0.0.1', (echo.address() as net.AddressInfo).port);
      for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(got.sort(), ['>\x00\xff', 'udp hi']);
      s.close();
      u.close();
      for (let i = 0; i < 100 && !closed.length; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(closed, [E_OK]);
      const r: string[] = [];
      await new Promise<void>((res) => nif.resolve('localhost', (e, ip) => res(void r.push(e + ' ' + ip))));
      assert.deepEqual(r, [E_OK + ' 127.0.0.1']);
    } finally {
      ns.destroyAll();
      server.close();
      echo.close();
    }
  });
});
