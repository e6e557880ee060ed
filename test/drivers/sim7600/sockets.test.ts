import { strict as assert } from 'assert';
import { makeRig, until, payload, Rig } from './harness';
import { LOOP_SERVER_IP } from '../../../sim/sim7600/loop-cell';
import { IF_READY, E_OK, E_REFUSED, E_DNS } from '../../../src/net/types';
import { TcpSocket } from '../../../src/net/interface';

function ready(): Rig {
  var rig = makeRig();
  rig.cell.connect();
  assert.ok(until(rig, function () { return rig.cell.state() === IF_READY; }, 60000));
  return rig;
}

/** Writes `data` through `s` as fast as the socket takes it. */
function pump(s: TcpSocket, data: string, chunk: number): { left: () => number; go: () => void } {
  var off = 0;
  function go() {
    while (off < data.length) {
      var part = data.substr(off, chunk);
      if (!s.write(part)) return;
      off += part.length;
    }
  }
  return { left: function () { return data.length - off; }, go: go };
}

describe('Sim7600Interface sockets', function () {
  it('echoes 16 KB of binary TCP data, "OK\\r\\n" and CRLF inside included', function () {
    var rig = ready();
    var mid = 'OK\r\n\r\nERROR\r\n+CIPRXGET: 1,0\r\n>';
    var data = payload(8000, 7) + mid + payload(16384 - 8000 - mid.length, 9);
    assert.equal(data.length, 16384);
    var got = '';
    var closed = -1;
    var p: any;
    var s = rig.cell.tcp({
      host: LOOP_SERVER_IP, port: 7,
      onConnect: function () { p.go(); },
      onData: function (d) { got += d; },
      onWritable: function () { p.go(); },
      onClose: function (e) { closed = e; },
    })!;
    p = pump(s, data, 1000);
    assert.ok(until(rig, function () { return got.length >= data.length; }, 60000), 'got ' + got.length);
    assert.ok(got === data, 'echo differs');
    assert.equal(closed, -1);
    assert.equal(rig.cell.counters().tx, 16384);
    assert.equal(rig.cell.counters().rx, 16384);
  });

  it('sends in AT+CIPSEND chunks of at most 1500 bytes', function () {
    var rig = ready();
    var data = payload(4000, 3);
    var p: any;
    var s = rig.cell.tcp({ host: LOOP_SERVER_IP, port: 9, onConnect: function () { p.go(); }, onWritable: function () { p.go(); } })!;
    p = pump(s, data, 4000);
    assert.ok(until(rig, function () { return rig.net.discarded === 4000; }, 60000));
    var sends = rig.model.transcript.filter(function (l) { return l.indexOf('> AT+CIPSEND=') >= 0; }).map(function (l) { return +l.split(',')[1]; });
    assert.deepEqual(sends, [1500, 1500, 1000]);
  });

  it('receives through CIPRXGET manual mode in reads of 1500', function () {
    var rig = ready();
    var got = '';
    var closed = -1;
    rig.cell.tcp({ host: LOOP_SERVER_IP, port: 19, onData: function (d) { got += d; }, onClose: function (e) { closed = e; } });
    assert.ok(until(rig, function () { return closed >= 0; }, 60000));
    assert.equal(got.length, 16384);
    assert.equal(closed, E_OK);
    var reads = rig.model.transcript.filter(function (l) { return l.indexOf('> AT+CIPRXGET=2,') >= 0; });
    assert.ok(reads.every(function (l) { return /,1500$/.test(l); }));
    assert.equal(got.charCodeAt(1000), (1000 * 7 + 3) & 255);
  });

  it('echoes a UDP datagram through cellular', function () {
    var rig = ready();
    var msgs: Array<[string, string, number]> = [];
    var u = rig.cell.udp({ onMessage: function (d, h, p) { msgs.push([d, h, p]); } })!;
    assert.ok(u);
    var dg = 'probe\x00\xff\r\nOK\r\n';
    assert.equal(u.send(dg, LOOP_SERVER_IP, 7), true);
    assert.ok(until(rig, function () { return msgs.length > 0; }, 10000));
    assert.deepEqual(msgs[0], [dg, LOOP_SERVER_IP, 7]);
  });

  it('sends UDP to a host name after resolving it with AT+CDNSGIP', function () {
    var rig = ready();
    var msgs: string[] = [];
    var u = rig.cell.udp({ onMessage: function (d) { msgs.push(d); } })!;
    u.send('hello', 'echo.test', 7);
    assert.ok(until(rig, function () { return msgs.length > 0; }, 10000));
    assert.equal(msgs[0], 'hello');
    assert.ok(rig.model.transcript.some(function (l) { return l.indexOf('< +CDNSGIP: 1,"echo.test","' + LOOP_SERVER_IP + '"') >= 0; }));
  });

  it('resolves names and reports unknown ones as E_DNS', function () {
    var rig = ready();
    var res: Array<[number, string]> = [];
    rig.cell.resolve('cloud.test', function (e, ip) { res.push([e, ip]); });
    rig.cell.resolve('nowhere.test', function (e, ip) { res.push([e, ip]); });
    assert.ok(until(rig, function () { return res.length === 2; }, 70000));
    assert.deepEqual(res, [[E_OK, LOOP_SERVER_IP], [E_DNS, '']]);
  });

  it('reports a refused connection and frees the link', function () {
    var rig = ready();
    var closed = -1;
    rig.cell.tcp({ host: LOOP_SERVER_IP, port: 4444, onClose: function (e) { closed = e; } });
    assert.ok(until(rig, function () { return closed >= 0; }, 30000));
    assert.equal(closed, E_REFUSED);
    for (var i = 0; i < 10; i++) assert.ok(rig.cell.tcp({ host: LOOP_SERVER_IP, port: 7 }), 'link ' + i);
    assert.equal(rig.cell.tcp({ host: LOOP_SERVER_IP, port: 7 }), null);
  });

  it('closes gracefully with onClose(E_OK) after the data is sent', function () {
    var rig = ready();
    var closed = -1;
    var s = rig.cell.tcp({ host: LOOP_SERVER_IP, port: 9, onConnect: function () { s.write('abc'); s.close(); }, onClose: function (e) { closed = e; } })!;
    assert.ok(until(rig, function () { return closed >= 0; }, 30000));
    assert.equal(closed, E_OK);
    rig.clock.advance(1000);
    assert.equal(rig.net.discarded, 3);
  });
});
