/**
 * Fuzzing the W5500 driver with garbage SPI reads: a bus that returns random bytes (no chip, a broken
 * chip), and the chip model behind a bus that corrupts bytes, drops the chip for a while (all 0x00 or all
 * 0xFF) or resets it, while the driver brings the link up and moves TCP and UDP data.
 *
 * Properties: no exception escapes; no timer callback spins on the bus (a bounded number of SPI frames per
 * timer: never a hang); time runs to quiescence or a steady poll; the interface always ends in one of its
 * states (failed with a reason); its timers and socket queues stay within their bounds.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { Spi } from '../../hal/spi';
import { W5500Model } from '../../sim/w5500/w5500-model';
import { W5500Interface } from '../../src/drivers/w5500/w5500-interface';
import { IF_OFF, IF_FAILED, IF_READY, R_NONE } from '../../src/net/types';
import { LoopbackNic, PORT_ECHO, SERVER_IP } from '../sim/w5500/loopback-nic';
import { params, count } from './fuzz-config';

/** Most SPI frames one timer callback may issue (a full 16 KB socket read is a handful of frames). */
var FRAMES_PER_TIMER = 2000;
var TX_QUEUE_MAX = 1024;

/** A small seeded PRNG (the property's own randomness, reproducible from its seed). */
function prng(seed: number): () => number {
  var x = (seed >>> 0) || 1;
  return function () {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** Counts frames per timer callback; throws (failing the property) when one callback spins on the bus. */
class Guard {
  n = 0;
  max = 0;
  tick(): void {
    if (this.n > this.max) this.max = this.n;
    this.n = 0;
  }
  frame(): void {
    if (++this.n > FRAMES_PER_TIMER) throw new Error('hang: ' + this.n + ' SPI frames in one timer callback');
  }
}

/** Runs the clock timer by timer (so the guard sees each callback) for `ms`. */
function runFor(clock: VirtualClock, g: Guard, ms: number): void {
  var end = clock.now() + ms;
  g.tick();
  while (true) {
    var d = clock.nextDue();
    if (d === undefined || d > end) break;
    clock.advanceTo(d);
    g.tick();
  }
  clock.advanceTo(end);
}

function checkState(eth: W5500Interface, clock: VirtualClock): void {
  var st = eth.state();
  assert.ok(st >= IF_OFF && st <= IF_FAILED, 'state ' + st);
  assert.ok(st !== IF_FAILED || eth.reason() !== R_NONE, 'failed without a reason');
  assert.ok(clock.pending() <= 24, 'timers: ' + clock.pending());
  for (var i = 0; i < eth._s.length; i++) {
    var s: any = eth._s[i];
    if (s && s._qn !== undefined) assert.ok(s._qn <= TX_QUEUE_MAX, 'TCP queue ' + s._qn);
    if (s && s._qd) assert.ok(s._qd.length <= 4, 'UDP queue ' + s._qd.length);
  }
}

describe('fuzz: W5500 garbage SPI reads', function () {
  it('a bus of random bytes ends in a state, never throws, never spins', function () {
    fc.assert(fc.property(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), function (seed, bias) {
      count('spi');
      var rnd = prng(seed);
      var g = new Guard();
      var clock = new VirtualClock(0);
      // `bias`: how often a byte is a "plausible" register value (0x04, 0x00, 0xFF) rather than noise.
      var spi: Spi = {
        send: function (f: Uint8Array) {
          g.frame();
          var r = new Uint8Array(f.length);
          for (var i = 0; i < r.length; i++) {
            var x = rnd();
            r[i] = x < bias ? [4, 0, 255, 1][Math.floor(x * 4 / (bias || 1)) & 3] : Math.floor(rnd() * 256);
          }
          return r;
        },
      };
      var eth = new W5500Interface({ spi: spi, clock: clock });
      eth.connect();
      runFor(clock, g, 60000);
      checkState(eth, clock);
      eth.off();
      runFor(clock, g, 5000);
      checkState(eth, clock);
    }), params(200, 0.05));
  });

  it('a corrupting, vanishing and resetting bus in front of the chip model never throws, never spins, stays bounded', function () {
    var act = fc.oneof(
      fc.record({ k: fc.constant('corrupt'), p: fc.constantFrom(0, 0, 0.0005, 0.01, 0.2) }),
      fc.record({ k: fc.constant('absent'), v: fc.constantFrom(0, 255), ms: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({ k: fc.constant('reset') }),
      fc.record({ k: fc.constant('link'), up: fc.boolean() }),
      fc.record({ k: fc.constant('tcp'), n: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ k: fc.constant('udp'), n: fc.integer({ min: 0, max: 1600 }) }),
      fc.record({ k: fc.constant('wait'), ms: fc.integer({ min: 0, max: 20000 }) }),
      fc.record({ k: fc.constantFrom('connect', 'disconnect', 'off', 'on') }),
    );
    fc.assert(fc.property(fc.integer(), fc.array(act, { minLength: 1, maxLength: 12 }), function (seed, acts: any[]) {
      count('spi');
      var rnd = prng(seed);
      var g = new Guard();
      var clock = new VirtualClock(1000);
      var nic = new LoopbackNic(clock);
      var model = new W5500Model({ clock: clock, nic: nic });
      var p = 0;
      var absentUntil = -1;
      var absentV = 0;
      var spi: Spi = {
        send: function (f: Uint8Array) {
          g.frame();
          var r = model.send(f);
          if (clock.now() < absentUntil) return new Uint8Array(f.length).fill(absentV);
          if (p > 0) for (var i = 0; i < r.length; i++) if (rnd() < p) r[i] = Math.floor(rnd() * 256);
          return r;
        },
      };
      var eth = new W5500Interface({ spi: spi, clock: clock, txQueueMax: TX_QUEUE_MAX });
      var socks: any[] = [];
      eth.connect();
      runFor(clock, g, 3000);
      for (var i = 0; i < acts.length; i++) {
        var a = acts[i];
        if (a.k === 'corrupt') p = a.p;
        else if (a.k === 'absent') {
          absentUntil = clock.now() + a.ms;
          absentV = a.v;
        } else if (a.k === 'reset') model.hardReset();
        else if (a.k === 'link') nic.setLink(a.up);
        else if (a.k === 'tcp') {
          if (eth.state() === IF_READY && socks.length < 4) {
            var s = eth.tcp({ host: SERVER_IP, port: PORT_ECHO, onData: function () {}, onClose: function () {} });
            if (s) socks.push(s);
          }
          for (var j = 0; j < socks.length; j++) socks[j].write(new Array(a.n + 1).join('x'));
        } else if (a.k === 'udp') {
          var u = eth.udp({ onMessage: function () {} });
          if (u) {
            u.send(new Array(a.n + 1).join('u'), SERVER_IP, 7);
            u.send('ping', 'not-an-ip', 7);
          }
        } else if (a.k === 'wait') runFor(clock, g, a.ms);
        else (eth as any)[a.k]();
        checkState(eth, clock);
      }
      runFor(clock, g, 30000);
      checkState(eth, clock);
      model.dispose();
    }), params(100, 0.01));
  });
});
