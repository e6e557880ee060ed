import { strict as assert } from 'assert';
import fc from 'fast-check';
import { VirtualClock } from '../../../hal/host/virtual-clock';
import { Uart } from '../../../hal/uart';
import {
  AtEngine, AtCmd, AT_OK, AT_ERROR, AT_CME_ERROR, AT_IP_ERROR, AT_CIP_ERROR, AT_TIMEOUT, AT_ABORTED,
} from '../../../src/drivers/sim7600/at-engine';

/** A UART whose far end is the test: `written` holds what the engine sent, `feed` delivers bytes. */
function fakeUart() {
  var rx: ((d: string) => void) | null = null, rxT: any;
  var u = {
    written: [] as string[],
    write: function (d: string) { u.written.push(d); },
    onData: function (cb: ((d: string) => void) | null, t?: any) { rx = cb; rxT = t; },
    setBaud: function () {},
    feed: function (d: string) { if (rx) rx.call(rxT, d); },
  };
  return u;
}

function setup(urc?: (line: string) => boolean) {
  var clock = new VirtualClock(0);
  var uart = fakeUart();
  var at = new AtEngine({ uart: uart as Uart, clock: clock, urc: urc });
  var done: Array<[number, AtCmd]> = [];
  var cb = function (res: number, r: AtCmd) { done.push([res, r]); };
  return { clock: clock, uart: uart, at: at, done: done, cb: cb };
}

describe('AtEngine', function () {
  it('sends one command at a time and completes each on OK', function () {
    var t = setup();
    t.at.send({ c: 'AT', t: 1000, cb: t.cb });
    t.at.send({ c: 'ATE0', t: 1000, cb: t.cb });
    assert.deepEqual(t.uart.written, ['AT\r']);
    t.uart.feed('\r\nOK\r\n');
    assert.deepEqual(t.uart.written, ['AT\r', 'ATE0\r']);
    t.uart.feed('\r\nOK\r\n');
    assert.deepEqual(t.done.map(function (d) { return d[0]; }), [AT_OK, AT_OK]);
  });

  it('collects information lines by prefix and ignores the echo', function () {
    var t = setup();
    t.at.send({ c: 'AT+CSQ', t: 1000, p: '+CSQ:', cb: t.cb });
    t.uart.feed('AT+CSQ\r\r\n+CSQ: 2');
    t.uart.feed('0,99\r\n\r\nOK\r\n');
    assert.equal(t.done[0][0], AT_OK);
    assert.deepEqual(t.done[0][1].l, ['+CSQ: 20,99']);
    assert.equal(t.at.cnt.garbage, 0);
  });

  it('reports ERROR, +CME ERROR, +IP ERROR and +CIPERROR', function () {
    var t = setup();
    for (var i = 0; i < 4; i++) t.at.send({ c: 'AT+X' + i, t: 1000, cb: t.cb });
    t.uart.feed('\r\nERROR\r\n');
    t.uart.feed('\r\n+CME ERROR: 10\r\n');
    t.uart.feed('\r\n+IP ERROR: Network is already opened\r\n\r\nERROR\r\n');
    t.uart.feed('\r\n+CIPERROR: 3\r\n');
    t.clock.advance(500);
    assert.deepEqual(t.done.map(function (d) { return [d[0], d[1].e]; }),
      [[AT_ERROR, undefined], [AT_CME_ERROR, '10'], [AT_IP_ERROR, 'Network is already opened'], [AT_CIP_ERROR, '3']]);
  });

  it('waits for the second-stage line while later commands run', function () {
    var t = setup();
    t.at.send({ c: 'AT+CIPOPEN=0,"TCP","1.2.3.4",80', t: 1000, u: '+CIPOPEN: 0,', w: 15000, cb: t.cb });
    t.at.send({ c: 'AT+CSQ', t: 1000, p: '+CSQ:', cb: t.cb });
    t.uart.feed('\r\nOK\r\n');
    assert.equal(t.uart.written[1], 'AT+CSQ\r');
    t.uart.feed('\r\n+CSQ: 20,99\r\n\r\n+CIPOPEN: 0,0\r\n\r\nOK\r\n');
    assert.deepEqual(t.done.map(function (d) { return d[1].c; }), ['AT+CIPOPEN=0,"TCP","1.2.3.4",80', 'AT+CSQ']);
    assert.equal(t.done[0][1].f, '+CIPOPEN: 0,0');
  });

  it('times out a missing second stage after its own wait', function () {
    var t = setup();
    t.at.send({ c: 'AT+NETOPEN', t: 1000, u: '+NETOPEN:', w: 5000, cb: t.cb });
    t.uart.feed('\r\nOK\r\n');
    t.clock.advance(4999);
    assert.equal(t.done.length, 0);
    t.clock.advance(1);
    assert.equal(t.done[0][0], AT_TIMEOUT);
  });

  it('writes the payload after the > prompt', function () {
    var t = setup();
    t.at.send({ c: 'AT+CIPSEND=0,5', t: 1000, d: 'a\r\nOK', u: '+CIPSEND: 0,', cb: t.cb });
    assert.deepEqual(t.uart.written, ['AT+CIPSEND=0,5\r']);
    t.uart.feed('\r\n>');
    assert.deepEqual(t.uart.written, ['AT+CIPSEND=0,5\r', 'a\r\nOK']);
    t.uart.feed('\r\nOK\r\n\r\n+CIPSEND: 0,5,5\r\n');
    assert.equal(t.done[0][0], AT_OK);
    assert.equal(t.at.cnt.txData, 5);
  });

  it('reads a binary payload by length even when it holds "OK\\r\\n" and CRLF', function () {
    var t = setup();
    var data = 'OK\r\n\r\nERROR\r\n\x00\xff';
    t.at.send({ c: 'AT+CIPRXGET=2,0,1500', t: 1000, p: '+CIPRXGET: 2,', n: 1, cb: t.cb });
    t.uart.feed('\r\n+CIPRXGET: 2,0,' + data.length + ',0\r');
    t.uart.feed('\n' + data.substr(0, 3));
    t.uart.feed(data.substr(3) + '\r\nOK\r\n');
    assert.equal(t.done.length, 1);
    assert.equal(t.done[0][1].b, data);
    assert.equal(t.at.cnt.rxData, data.length);
  });

  it('routes URCs by prefix, even in the middle of a response', function () {
    var urcs: string[] = [];
    var t = setup(function (l) {
      if (l.indexOf('+CIPRXGET: 1,') !== 0) return false;
      urcs.push(l);
      return true;
    });
    t.at.send({ c: 'AT+CSQ', t: 1000, p: '+CSQ:', cb: t.cb });
    t.uart.feed('\r\n+CSQ: 20,99\r\n\r\n+CIPRXGET: 1,3\r\n\r\nOK\r\n');
    assert.deepEqual(urcs, ['+CIPRXGET: 1,3']);
    assert.deepEqual(t.done[0][1].l, ['+CSQ: 20,99']);
  });

  it('counts garbage and over-long lines and skips them', function () {
    var t = setup();
    var g: string[] = [];
    t.at.events.on('garbage', function (x: string) { g.push(x); });
    t.uart.feed('\xff\xfe\x01\r\n');
    t.uart.feed('x'.repeat(300));
    t.at.send({ c: 'AT', t: 1000, cb: t.cb });
    t.uart.feed('\r\nOK\r\n');
    assert.equal(t.at.cnt.garbage, 2);
    assert.equal(t.done[0][0], AT_OK);
  });

  it('refuses commands beyond the queue bound', function () {
    var clock = new VirtualClock(0);
    var at = new AtEngine({ uart: fakeUart() as Uart, clock: clock, maxQueue: 2 });
    var n = 0;
    var ok = [1, 2, 3, 4].map(function () { return at.send({ c: 'AT', t: 10, cb: function () { n++; } }); });
    assert.deepEqual(ok, [true, true, true, false]);
    clock.advance(100);
    assert.equal(n, 3);
  });

  it('aborts everything on flush', function () {
    var t = setup();
    t.at.send({ c: 'AT+NETOPEN', t: 1000, u: '+NETOPEN:', cb: t.cb });
    t.uart.feed('\r\nOK\r\n');
    t.at.send({ c: 'AT', t: 1000, cb: t.cb });
    t.at.send({ c: 'AT', t: 1000, cb: t.cb });
    t.at.flush();
    assert.deepEqual(t.done.map(function (d) { return d[0]; }), [AT_ABORTED, AT_ABORTED, AT_ABORTED]);
    assert.equal(t.at.pending(), 0);
  });
});

/** Canonical responses of a few command kinds, as lists of segments (URCs may go between them). */
type Kind = { cmd: AtCmd; resp: (cmd: string) => string[]; res: number; check?: (r: AtCmd) => boolean };
function kinds(bin: string): Kind[] {
  return [
    { cmd: { c: 'AT+CSQ', t: 1000, p: '+CSQ:', cb: null as any }, resp: function () { return ['\r\n+CSQ: 20,99\r\n', '\r\nOK\r\n']; }, res: AT_OK, check: function (r) { return !!r.l && r.l[0] === '+CSQ: 20,99'; } },
    { cmd: { c: 'AT+CIPOPEN=1,"TCP","1.2.3.4",80', t: 1000, u: '+CIPOPEN: 1,', cb: null as any }, resp: function () { return ['\r\nOK\r\n', '\r\n+CIPOPEN: 1,0\r\n']; }, res: AT_OK, check: function (r) { return r.f === '+CIPOPEN: 1,0'; } },
    { cmd: { c: 'AT+CIPSEND=1,4', t: 1000, d: 'OK\r\n', u: '+CIPSEND: 1,', cb: null as any }, resp: function () { return ['\r\n>', '\r\nOK\r\n', '\r\n+CIPSEND: 1,4,4\r\n']; }, res: AT_OK, check: function (r) { return r.f === '+CIPSEND: 1,4,4'; } },
    { cmd: { c: 'AT+CIPRXGET=2,1,1500', t: 1000, p: '+CIPRXGET: 2,', n: 1, cb: null as any }, resp: function () { return ['\r\n+CIPRXGET: 2,1,' + bin.length + ',0\r\n' + bin + '\r\nOK\r\n']; }, res: AT_OK, check: function (r) { return r.b === bin; } },
    { cmd: { c: 'AT+CPIN?', t: 1000, p: '+CPIN:', cb: null as any }, resp: function () { return ['\r\n+CME ERROR: 10\r\n']; }, res: AT_CME_ERROR },
    { cmd: { c: 'AT+NETOPEN', t: 1000, u: '+NETOPEN:', cb: null as any }, resp: function () { return ['\r\n+IP ERROR: Network is already opened\r\n', '\r\nERROR\r\n']; }, res: AT_IP_ERROR },
  ];
}
var URCS = ['+CIPRXGET: 1,0', '+IPCLOSE: 2,1', '+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY', '+CPIN: READY', '+CREG: 1', '+CGREG: 5', '+CEREG: 2', 'RDY', 'PB DONE', 'SMS DONE', '+CTZV: 32'];

describe('AtEngine properties', function () {
  it('never throws and completes every queued command exactly once under random bytes', function () {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.uint8Array({ maxLength: 80 })), { maxLength: 30 }),
      function (which, noise) {
        var t = setup();
        var ks = kinds('OK\r\n');
        var calls: number[] = [];
        which.forEach(function (k, i) {
          var c = Object.assign({}, ks[k].cmd);
          c.cb = function () { calls[i] = (calls[i] || 0) + 1; };
          c.x = i;
          assert.ok(t.at.send(c));
        });
        noise.forEach(function (n) {
          t.clock.setTimeout(function () { t.uart.feed(String.fromCharCode.apply(null, Array.from(n[1]))); }, n[0]);
        });
        t.clock.advance(200000);
        for (var i = 0; i < which.length; i++) assert.equal(calls[i], 1, 'command ' + i + ' completed ' + calls[i]);
        assert.equal(t.at.pending(), 0);
      }), { numRuns: 150 });
  });

  it('gives every command its right result when valid URCs are interleaved into the responses', function () {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 10 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: URCS.length - 1 })), { maxLength: 25 }),
      fc.integer({ min: 1, max: 40 }),
      fc.uint8Array({ minLength: 0, maxLength: 60 }),
      function (which, inject, chunk, binArr) {
        var bin = String.fromCharCode.apply(null, Array.from(binArr)) + 'OK\r\n';
        var seen = 0;
        var t = setup(function (l) {
          var known = URCS.some(function (p) { return l.indexOf(p) === 0; });
          if (known) seen++;
          return known;
        });
        var ks = kinds(bin);
        var results: Array<[number, boolean]> = [];
        var injected = 0;
        var pending: string[] = [];
        // The responder: segments of the current command's response with URCs between them, in chunks.
        function respond(kind: Kind, from: number) {
          var segs = kind.resp(kind.cmd.c);
          var out = '';
          for (var s = from; s < segs.length; s++) {
            if (kind.cmd.d !== undefined && s === 1 && from === 0) break;
            for (var j = 0; j < inject.length; j++) {
              var uline = URCS[inject[j][1]];
              // A URC with the prefix the command collects is indistinguishable from its answer: not injected.
              // (Responses overlap: the next command may be current while this one's tail arrives, so any queued command counts.)
              var clash = order.some(function (o) { return (!!o.cmd.p && uline.indexOf(o.cmd.p) === 0) || (!!o.cmd.u && uline.indexOf(o.cmd.u) === 0); });
              if (inject[j][0] === s && !(inject[j] as any).used && !clash) {
                (inject[j] as any).used = true;
                out += '\r\n' + URCS[inject[j][1]] + '\r\n';
                injected++;
              }
            }
            out += segs[s];
          }
          for (var k = 0; k < out.length; k += chunk) pending.push(out.substr(k, chunk));
        }
        var order: Kind[] = [];
        which.forEach(function (w, i) {
          var kind = ks[w];
          var c = Object.assign({}, kind.cmd);
          c.cb = function (res, r) { results[i] = [res, kind.check ? kind.check(r) : true]; };
          order.push(kind);
          t.at.send(c);
        });
        var wi = 0;
        var dataKind: Kind | null = null;
        var lastLen = 0;
        var all = function () { for (var q = 0; q < order.length; q++) if (!results[q]) return false; return true; };
        for (var guard = 0; guard < 20000 && !all(); guard++) {
          while (t.uart.written.length > lastLen) {
            var w = t.uart.written[lastLen++];
            if (wi < order.length && w === order[wi].cmd.c + '\r') {
              if (order[wi].cmd.d !== undefined) dataKind = order[wi];
              respond(order[wi++], 0);
            } else if (dataKind && w === dataKind.cmd.d) {
              respond(dataKind, 1);
              dataKind = null;
            }
          }
          if (pending.length) t.uart.feed(pending.shift()!);
          else t.clock.advance(1);
        }
        t.clock.advance(1000);
        for (var i = 0; i < which.length; i++) {
          assert.ok(results[i], 'command ' + i + ' not completed');
          assert.equal(results[i][0], order[i].res, 'command ' + i + ' (' + order[i].cmd.c + ')');
          assert.ok(results[i][1], 'command ' + i + ' data');
        }
        assert.equal(seen, injected);
        assert.equal(t.at.cnt.garbage, 0);
      }), { numRuns: 200 });
  });
});
