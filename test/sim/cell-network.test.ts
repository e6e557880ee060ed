import { strict as assert } from 'assert';
import { World } from '../../sim/world';
import { SimNic } from '../../sim/nic';

describe('sim cellular network', function () {
  function setup(opts?: any) {
    var w = new World({ seed: 6, cell: Object.assign({ registrationDelayMs: 8000, pdpDelayMs: 1500, apn: 'internet', link: { latencyMs: 40, jitterMs: 0, bandwidthBps: 0 } }, opts || {}) });
    return { w: w, cell: w.cellNetwork() };
  }

  function activate(t: { w: World; cell: any }, apn: string) {
    var r: { err: string | null | undefined; nic: SimNic | null } = { err: undefined, nic: null };
    t.cell.activate(apn, '', '', function (err: string | null, nic: SimNic | null) {
      r.err = err;
      r.nic = nic;
    });
    return r;
  }

  it('registers home after the registration delay once the radio is on', function () {
    var t = setup();
    var seen: Array<[number, number]> = [];
    t.w.advance(5000);
    t.cell.onRegistration(function (s: number) {
      seen.push([t.w.now(), s]);
    });
    t.cell.radio(true);
    t.w.advance(10000);
    assert.deepEqual(seen, [[5000, 2], [13000, 1]]);
    assert.equal(t.cell.registration(), 1);
    assert.equal(t.cell.sim(), 'READY');
    assert.equal(t.cell.csq(), 20);
    assert.equal(t.cell.cnsmod(), 8);
  });

  it('reports roaming and denied as configured', function () {
    var t = setup({ outcome: 5 });
    t.cell.registration();
    t.w.advance(9000);
    assert.equal(t.cell.registration(), 5);
    var d = setup({ outcome: 3 });
    d.cell.registration();
    d.w.advance(9000);
    assert.equal(d.cell.registration(), 3);
    var r = activate(d, 'internet');
    d.w.advance(2000);
    assert.equal(r.err, 'registration denied');
  });

  it('activates the PDP context after its delay with the right APN; the NIC gets an address and carrier', function () {
    var t = setup();
    t.cell.registration();
    t.w.advance(9000);
    var r = activate(t, 'internet');
    t.w.advance(1499);
    assert.equal(r.err, undefined);
    t.w.advance(1);
    assert.equal(r.err, null);
    assert.ok(r.nic!.linkUp());
    assert.match(r.nic!.address()!, /^10\.64\.0\.\d+$/);
    var echoes = 0;
    r.nic!.udpOpen(0, function () {
      echoes++;
    }).send(t.w.cloud.ip, 7, Buffer.from('ping'));
    t.w.advance(1000);
    assert.equal(echoes, 1);
  });

  it('refuses a wrong APN and activation before registration', function () {
    var t = setup();
    var early = activate(t, 'internet');
    t.w.advance(2000);
    assert.equal(early.err, 'not registered');
    t.cell.registration();
    t.w.advance(9000);
    var wrong = activate(t, 'wap');
    t.w.advance(2000);
    assert.equal(wrong.err, 'unknown apn');
    assert.equal(t.cell.pdpActive(), false);
  });

  it('drops the PDP context when told to, or when coverage goes', function () {
    var t = setup();
    t.cell.registration();
    t.w.advance(9000);
    var r = activate(t, 'internet');
    t.w.advance(2000);
    var lost = 0;
    t.cell.onPdpLost(function () {
      lost++;
    });
    t.cell.pdpLost();
    assert.equal(lost, 1);
    assert.equal(r.nic!.address(), null);
    assert.equal(r.nic!.linkUp(), false);
    activate(t, 'internet');
    t.w.advance(2000);
    assert.ok(r.nic!.linkUp());
    t.w.link('cell0').set({ up: false });
    assert.equal(lost, 2);
    assert.equal(t.cell.registration(), 2, 'searching');
    t.w.link('cell0').set({ up: true });
    t.w.advance(8000);
    assert.equal(t.cell.registration(), 1);
  });

  it('reports the SIM state and PIN it was given', function () {
    var t = setup({ sim: 'SIM PIN', pin: '4321' });
    assert.equal(t.cell.sim(), 'SIM PIN');
    assert.equal(t.cell.pin(), '4321');
    var n = setup({ sim: 'NOT INSERTED' });
    n.cell.registration();
    n.w.advance(20000);
    assert.equal(n.cell.registration(), 0);
  });
});
