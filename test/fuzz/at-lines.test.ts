/**
 * Fuzzing the AT engine's line parser with the SIM7600 driver's own URC handlers and response parsers
 * on top: random bytes and valid lines (final results, information lines, URCs, binary reads by length,
 * the `>` prompt) cut into random chunks, interleaved with random commands and random waits.
 *
 * Properties: nothing escapes (no exception, no "error" event from a throwing handler); every command the
 * engine accepted completes exactly once and none it refused ever completes; the buffers stay within
 * their configured maxima after every chunk; no timer is left behind once everything completed.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { Uart } from '../../hal/uart';
import { GpioPin } from '../../hal/gpio';
import { AtCmd } from '../../src/drivers/sim7600/at-engine';
import { Sim7600 } from '../../src/drivers/sim7600/sim7600';
import { params, binary, cut, count } from './fuzz-config';

var MAX_LINE = 128;
var MAX_QUEUE = 8;
var MAX_BIN = 1500;

/** Lines a SIM7600 really sends, with random numbers where it puts numbers. */
var n = fc.integer({ min: -2, max: 70000 }).map(String);
var fixedLine = fc.constantFrom(
  'OK', 'ERROR', 'RDY', 'PB DONE', 'SMS DONE', '+CPIN: READY', '+CPIN: SIM PIN', '+CPIN: NOT INSERTED',
  '+IP ERROR: No data', '+IP ERROR: Network is already opened', 'NO CARRIER', '+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY',
  '+CPSI: LTE,Online,262-01,0x1234,12345678,100,EUTRAN-BAND3,1300,5,5,-90,-1000,-700,12', 'AT+CSQ', 'at', '', ' ', '>',
);
var fieldLine = fc.tuple(
  fc.constantFrom('+CME ERROR: ', '+CMS ERROR: ', '+CIPERROR: ', '+CSQ: ', '+CREG: ', '+CGREG: ', '+CEREG: ', '+NETOPEN: ',
    '+NETCLOSE: ', '+CIPOPEN: ', '+CIPCLOSE: ', '+IPCLOSE: ', '+CIPSEND: ', '+CIPRXGET: 1,', '+CDNSGIP: ', '+IPADDR: ',
    '+CNSMOD: ', '+CFUN: ', '+CCHOPEN: ', '+CCHSEND: ', '+CCHCLOSE: ', '+CCHRECV: ', '+CCHSTART: ', '+CCH_PEER_CLOSED: ',
    '+CCHEVENT: '),
  fc.array(fc.oneof(n, fc.constantFrom('"cloud.sim"', '"203.0.113.10"', '10.64.0.2', '"a,b"', '"', '', 'RECV EVENT')), { maxLength: 5 }),
).map(function (t) { return t[0] + t[1].join(','); });
/** A binary read: header, then a payload that may be shorter or longer than announced. */
var binRead = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: -1, max: 1600 }), fc.nat(3000), binary(64))
    .map(function (t) { return '+CIPRXGET: 2,' + t[0] + ',' + t[1] + ',' + t[2] + '\r\n' + t[3]; }),
  fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: -1, max: 1600 }), binary(64))
    .map(function (t) { return '+CCHRECV: DATA,' + t[0] + ',' + t[1] + '\r\n' + t[2]; }),
);
var line = fc.oneof(
  { arbitrary: fixedLine, weight: 4 },
  { arbitrary: fieldLine, weight: 4 },
  { arbitrary: binRead, weight: 1 },
  { arbitrary: binary(40), weight: 1 },
  { arbitrary: fc.string({ maxLength: 300 }), weight: 1 },
);
var ending = fc.constantFrom('\r\n', '\r\n', '\r', '\n', '', '\r\r\n');
/** A burst of lines with random endings, cut into random chunks. */
var burst = fc.tuple(fc.array(fc.tuple(fc.constantFrom('', '\r\n'), line, ending), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 4 }))
  .map(function (t) {
    var s = '';
    for (var i = 0; i < t[0].length; i++) s += t[0][i][0] + t[0][i][1] + t[0][i][2];
    return cut(s, t[1]);
  });

/** Calls into the driver's modem API (each puts one or more commands on the engine). */
var call = fc.record({
  k: fc.integer({ min: 0, max: 17 }),
  l: fc.integer({ min: 0, max: 9 }),
  d: binary(20),
  w: fc.integer({ min: 1, max: 3000 }),
});

var action = fc.oneof(
  { arbitrary: burst.map(function (b) { return { feed: b }; }), weight: 5 },
  { arbitrary: call.map(function (c) { return { call: c }; }), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 5000 }).map(function (ms) { return { wait: ms }; }), weight: 2 },
);

function pin(): GpioPin {
  var level = false;
  return {
    write: function (h: boolean) { level = h; },
    read: function () { return level; },
    watch: function () { return function () {}; },
  };
}

/** One run: a modem on a UART whose far end is the property's input. */
function run(actions: any[]): void {
  var clock = new VirtualClock(0);
  var rx = null as ((d: string) => void) | null, rxT: any;
  var uart: Uart = { write: function () {}, onData: function (cb, t) { rx = cb; rxT = t; }, setBaud: function () {} };
  var m = new Sim7600({ uart: uart, clock: clock, pwrkey: pin(), maxLine: MAX_LINE, maxQueue: MAX_QUEUE,
    timings: { cmdMs: 2000 }, simTimings: { netOpenMs: 4000, netCloseMs: 4000, dnsMs: 4000, sendMs: 4000, closeMs: 4000 } });
  var at = m.at;
  var errors: any[] = [];
  at.events.on('error', function (e: any) { errors.push(e); });
  // Every command the engine accepts must complete exactly once; a refused one never.
  var accepted: AtCmd[] = [];
  var calls = 0;
  var refusedCalled = 0;
  var send = at.send.bind(at);
  at.send = function (c: AtCmd): boolean {
    var cb = c.cb;
    var mine = { n: 0 };
    (c as any).__n = mine;
    c.cb = function (this: any, res: number, r: AtCmd) {
      mine.n++;
      calls++;
      cb.call(this, res, r); // the engine calls completions as methods of its owner (the modem)
    };
    var ok = send(c);
    if (ok) accepted.push(c);
    else (c as any).__refused = true;
    return ok;
  };
  // API callbacks that promise exactly one call.
  var apiCalls = 0;
  var apiDone = 0;
  var once = function () {
    apiCalls++;
    var done = false;
    return function () {
      assert.ok(!done, 'an API callback was called twice');
      done = true;
      apiDone++;
    };
  };
  var bounds = function () {
    assert.ok(at._buf.length <= MAX_LINE, 'line buffer ' + at._buf.length + ' > ' + MAX_LINE);
    assert.ok(at._q.length <= MAX_QUEUE, 'queue ' + at._q.length);
    assert.ok(at._w.length <= 16, 'waiters ' + at._w.length);
    assert.ok(!at._binTo || (at._binTo.b || '').length <= MAX_BIN, 'binary payload over maxBin');
    assert.ok(!at._cur || !at._cur.l || at._cur.l.length <= 8, 'too many collected lines');
  };
  for (var i = 0; i < actions.length; i++) {
    var a = actions[i];
    if (a.feed) {
      for (var j = 0; j < a.feed.length; j++) {
        count('at');
        if (rx) (rx as (d: string) => void).call(rxT, a.feed[j]);
        bounds();
      }
    } else if (a.wait !== undefined) {
      clock.advance(a.wait);
    } else {
      var c = a.call;
      switch (c.k) {
        case 0: m.netOpen(once()); break;
        case 1: m.netClose(once()); break;
        case 2: m.netQuery(once()); break;
        case 3: m.ipAddr(once()); break;
        case 4: m.dns('cloud.sim', null, once()); break;
        case 5: m.open(c.l, c.w & 1 ? true : false, 'cloud.sim', 1883, 40000, c.w, null, once()); break;
        case 6: m.send(c.l, c.d, c.w & 1 ? '203.0.113.10' : '', 7, null, once()); break;
        case 7: m.read(c.l, 1500, null, once()); break;
        case 8: m.close(c.l, null, once()); break;
        case 9: m.readInfo(once()); break;
        case 10: m.readCsq(once()); break;
        case 11: m.readSim(once()); break;
        case 12: m.readReg(once()); break;
        case 14: m.sslOpen(c.l & 1, 'cloud.sim', 8883, c.w, null, once()); break;
        case 15: m.sslSend(c.l & 1, c.d || 'x', null, once()); break;
        case 16: m.sslRead(c.l & 1, 1500, null, once()); break;
        case 17: m.sslClose(c.l & 1, null, once()); break;
        default: m.cfun(c.w & 1, once()); break;
      }
      bounds();
    }
  }
  // Let every command reach its final result or its timeout.
  clock.runUntil(function () { return at.pending() === 0; }, 600000);
  assert.equal(errors.length, 0, 'a handler threw: ' + (errors[0] && errors[0].stack));
  assert.equal(at.pending(), 0, 'commands still pending after 10 minutes');
  for (var k = 0; k < accepted.length; k++) assert.equal((accepted[k] as any).__n.n, 1, 'command ' + accepted[k].c + ' completed ' + (accepted[k] as any).__n.n + ' times');
  assert.equal(refusedCalled, 0);
  assert.equal(apiDone, apiCalls, 'API callbacks: ' + apiDone + ' of ' + apiCalls);
  assert.equal(clock.pending(), 0, 'timers left behind');
  void calls;
}

describe('fuzz: AT engine lines', function () {
  it('random and valid modem output never throws, completes every command once and stays bounded', function () {
    fc.assert(fc.property(fc.array(action, { minLength: 1, maxLength: 12 }), run), params(300));
  });

  it('a line longer than maxLine is dropped as garbage without growing the buffer', function () {
    var big = new Array(MAX_LINE * 4).join('x');
    var input = [{ call: { k: 10, l: 0, d: '', w: 1 } }, { feed: [big.substr(0, 100), big.substr(100) + '\r\nOK\r\n'] }];
    run(input);
  });
});
