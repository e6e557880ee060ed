import { strict as assert } from 'assert';
import { makeRig, until } from './harness';
import { IF_READY, IF_FAILED, R_NO_HARDWARE } from '../../../src/net/types';

describe('Sim7600Interface: a hung modem (STATUS high, no AT answer)', function () {
  it('is power-cycled by the next power-on instead of failing no_hardware for ever (soak finding)', function () {
    var rig = makeRig();
    // The rig's modem has STATUS wired through the model: use it.
    (rig.cell.modem as any)._ps = rig.model.status;
    rig.cell.connect();
    assert.ok(until(rig, function () { return rig.cell.state() === IF_READY; }, 120000), rig.states.join(','));
    // The modem hangs; the ladder's power rung is skipped: the interface is forced down to failed.
    rig.model.faults.silent = true;
    rig.cell.modem.forget();
    rig.cell._abort();
    rig.cell._set(IF_FAILED, R_NO_HARDWARE);
    var boots = rig.model.boots;
    rig.cell.connect();
    assert.ok(until(rig, function () { return rig.cell.state() === IF_READY; }, 300000), rig.states.slice(-6).join(','));
    assert.equal(rig.model.boots, boots + 1, 'one power cycle');
    assert.ok(rig.log.lines.some(function (l) { return l.indexOf('power cycle') >= 0; }));
  });

  it('still fails no_hardware when the modem stays silent after the cycle', function () {
    var rig = makeRig();
    (rig.cell.modem as any)._ps = rig.model.status;
    rig.cell.connect();
    assert.ok(until(rig, function () { return rig.cell.state() === IF_READY; }, 120000));
    rig.model.faults.silent = true;
    // A modem that ignores PWRKEY as well: STATUS stays high.
    (rig.model as any)._onKey = function () {};
    rig.cell.modem.forget();
    rig.cell._abort();
    rig.cell._set(IF_FAILED, R_NO_HARDWARE);
    rig.cell.connect();
    assert.ok(until(rig, function () { return rig.cell.state() === IF_FAILED; }, 600000), rig.states.slice(-6).join(','));
    assert.equal(rig.cell.reason(), R_NO_HARDWARE);
  });
});
