import { strict as assert } from 'assert';
import { world } from './fakes';
import { IF_READY, IF_FAILED, R_NO_HARDWARE } from '../../src/net/types';

describe('ConnectionManager: hardware that stopped answering', function () {
  it('is tried again at the slowest retry pace, and carries the cloud again once it answers (soak finding)', function () {
    var w = world({ settings: { failBack: true, failBackStableMs: 1000, failBackCheckMs: 1000, minDwellMs: 0 } });
    w.mgr.prefer('eth0', true);
    w.mgr.connect(null);
    w.clock.advance(5000);
    assert.equal(w.on(), 'eth0');
    // The chip glitches (no answer): the interface fails with no_hardware and the cloud moves.
    w.eth.o.absent = true;
    w.eth.fail(R_NO_HARDWARE);
    w.clock.advance(5000);
    assert.equal(w.eth.state(), IF_FAILED);
    assert.equal(w.on(), 'wl0');
    var c0 = w.eth.connects;
    w.clock.advance(120000);
    var tries = w.eth.connects - c0;
    assert.ok(tries >= 1 && tries <= 4, 'tries while absent: ' + tries);
    // It answers again: within one slow retry it is back, and (fail-back on, preferred) carries the cloud.
    w.eth.o.absent = false;
    w.clock.advance(65000);
    assert.equal(w.eth.state(), IF_READY);
    w.clock.advance(10000);
    assert.equal(w.on(), 'eth0');
  });

  it('powers on again (a fresh hardware probe) an interface whose chip was not found, not only a configured one', function () {
    var w = world({ wifi: false, cell: false });
    // Like the W5500: "configured" (the chip answered) is only known after a successful power-on.
    var on0 = w.eth.on.bind(w.eth);
    w.eth.on = function () {
      w.eth.o.configured = !w.eth.o.absent;
      on0();
    };
    w.eth.o.absent = true;
    w.eth.o.configured = false;
    w.mgr.connect(null);
    w.clock.advance(10000);
    assert.equal(w.eth.state(), IF_FAILED);
    assert.equal(w.eth.reason(), R_NO_HARDWARE);
    w.eth.o.absent = false;
    w.clock.advance(130000);
    assert.equal(w.eth.state(), IF_READY);
    assert.equal(w.on(), 'eth0');
  });
});
