import { strict as assert } from 'assert';
import { rig, ready, FakePin } from './harness';
import { SERVER_IP } from '../../sim/w5500/loopback-nic';

/** Model INTn (active low) wired to a pin the driver watches. */
function wired(withPin: boolean) {
  var pin = new FakePin();
  var r = rig(Object.assign({ pollMs: 500, idlePollMs: 1000 }, withPin ? { int: pin } : {}), { onInt: (a) => pin.set(!a) });
  ready(r);
  return { r, pin };
}

function echoDelay(r: ReturnType<typeof rig>): number {
  var at = -1;
  var u = r.eth.udp({ onMessage: () => (at = r.clock.now()) })!;
  r.clock.advance(1000);
  var t0 = r.clock.now();
  u.send('int?', SERVER_IP, 7);
  r.clock.runUntil(() => at >= 0, 5000);
  return at - t0;
}

describe('W5500Interface INTn', function () {
  it('enables socket interrupts on INTn (SIMR = 0xFF) when an INT pin is given', function () {
    assert.equal(wired(true).r.model.c[0x18], 0xff);
    assert.equal(wired(false).r.model.c[0x18], 0x00);
  });

  it('polls at once on a falling edge: the echo is delivered as it arrives, not at the next poll', function () {
    var d = echoDelay(wired(true).r);
    assert.ok(d < 10, 'with INT: ' + d);
    var slow = echoDelay(wired(false).r);
    assert.ok(slow >= 100, 'without INT: ' + slow);
  });

  it('releases INTn once the driver has cleared Sn_IR', function () {
    var w = wired(true);
    echoDelay(w.r);
    w.r.clock.advance(50);
    assert.equal(w.pin.level, true);
  });

  it('keeps polling when an edge is missed', function () {
    var w = wired(true);
    w.pin._w = [];
    var d = echoDelay(w.r);
    assert.ok(d > 10 && d <= 1010, String(d));
  });
});
