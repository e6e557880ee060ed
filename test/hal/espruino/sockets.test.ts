import { strict as assert } from 'assert';
// Firmware code (Espruino types): loaded untyped, the host program does not type-check it.
var EspruinoSockets = require('../../../hal/espruino/sockets').EspruinoSockets;

/** A fake Espruino socket: records calls, lets the test fire its events. */
function fakeSocket(): any {
  return {
    handlers: {} as any,
    written: [] as string[],
    sent: [] as any[],
    bound: [] as number[],
    ended: 0,
    closed: 0,
    on: function (ev: string, fn: any) { this.handlers[ev] = fn; },
    write: function (d: string) { this.written.push(d); return false; },
    end: function () { this.ended++; },
    send: function () { this.sent.push([].slice.call(arguments)); },
    bind: function (p: number) { this.bound.push(p); return this; },
    close: function () { this.closed++; },
  };
}

function fakeNet(throwOnConnect?: string): any {
  return {
    last: null as any,
    opts: null as any,
    connect: function (o: any, cb: any) {
      if (throwOnConnect) throw new Error(throwOnConnect);
      this.opts = o;
      this.last = fakeSocket();
      this.last.handlers.connect = cb;
      return this.last;
    },
  };
}

function handlers(log: string[]): any {
  return {
    onConnect: function () { log.push('connect'); },
    onData: function (d: string) { log.push('data ' + d); },
    onClose: function (e: string | null) { log.push('close ' + e); },
    onDrain: function () { log.push('drain'); },
  };
}

describe('EspruinoSockets', function () {
  it('connects TCP to host and port and forwards connect, data and drain', function () {
    var net = fakeNet();
    var log: string[] = [];
    var s = new EspruinoSockets({ net: net });
    s.connect('cloud.local', 1883, handlers(log));
    assert.deepEqual(net.opts, { host: 'cloud.local', port: 1883 });
    net.last.handlers.connect();
    net.last.handlers.data('\x20\x02');
    net.last.handlers.drain();
    assert.deepEqual(log, ['connect', 'data \x20\x02', 'drain']);
  });

  it('write returns true although Espruino\'s socket.write returns false', function () {
    var net = fakeNet();
    var t = new EspruinoSockets({ net: net }).connect('h', 1, handlers([]));
    assert.equal(t.write('abc'), true);
    assert.deepEqual(net.last.written, ['abc']);
  });

  it('reports an error then close as one close with the error message', function () {
    var net = fakeNet();
    var log: string[] = [];
    new EspruinoSockets({ net: net }).connect('h', 1, handlers(log));
    net.last.handlers.error({ code: -1, message: 'connection refused' });
    net.last.handlers.close(true);
    net.last.handlers.close(true);
    assert.deepEqual(log, ['close connection refused']);
  });

  it('a clean close reports null and nothing after it', function () {
    var net = fakeNet();
    var log: string[] = [];
    var t = new EspruinoSockets({ net: net }).connect('h', 1, handlers(log));
    net.last.handlers.close(false);
    net.last.handlers.data('late');
    t.write('x');
    t.end();
    assert.deepEqual(log, ['close null']);
    assert.deepEqual(net.last.written, []);
    assert.equal(net.last.ended, 0);
  });

  it('a connect that throws becomes a close with the error, on a later tick', function (done) {
    var log: string[] = [];
    var t = new EspruinoSockets({ net: fakeNet('Unable to create socket') }).connect('h', 1, handlers(log));
    assert.deepEqual(log, []);
    t.write('x');
    setTimeout(function () {
      assert.deepEqual(log, ['close Unable to create socket']);
      done();
    }, 5);
  });

  it('UDP: binds only a given port, sends without a callback, reports messages with their sender', function () {
    var sock: any;
    var dgram: any = { createSocket: function (type: string) { assert.equal(type, 'udp4'); sock = fakeSocket(); return sock; } };
    var got: string[] = [];
    var s = new EspruinoSockets({ dgram: dgram });
    var h = { onMessage: function (d: string, a: string, p: number) { got.push(d + '@' + a + ':' + p); }, onError: function (e: string) { got.push('err ' + e); } };
    var u = s.udp(0, h);
    assert.deepEqual(sock.bound, []);
    u.send('ping', '10.0.0.1', 7);
    assert.deepEqual(sock.sent, [['ping', 0, 4, 7, '10.0.0.1']]);
    sock.handlers.message('ping', { address: '10.0.0.1', port: 7, size: 4 });
    sock.handlers.error({ message: 'boom' });
    assert.deepEqual(got, ['ping@10.0.0.1:7', 'err boom']);
    var u2 = s.udp(5000, h);
    assert.deepEqual(sock.bound, [5000]);
    u2.close();
    u2.close();
    assert.equal(sock.closed, 1);
  });
});
