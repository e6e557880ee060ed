import { strict as assert } from 'assert';
import { makeRig, until } from './harness';
import { Sim7600Interface } from '../../../src/drivers/sim7600/sim7600-interface';
import { IF_READY, IF_ON, IF_OFF } from '../../../src/net/types';

describe('Sim7600Interface bring-up', function () {
  it('goes from power-off to ready and logs an AT transcript', function () {
    var rig = makeRig();
    rig.cell.connect();
    assert.ok(until(rig, function () { return rig.cell.state() === IF_READY; }, 60000));
    assert.deepEqual(rig.states, ['powering_on', 'on', 'connecting', 'ready']);
    assert.equal(rig.cell.info().ip, '10.64.0.2');
    assert.equal(rig.cell.info().rssi, -73);
    var t = rig.model.transcript.join('\n');
    for (var c of ['> ATE0', '> AT+CMEE=1', '> AT+CPIN?', '> AT+CGDCONT=1,"IP","internet"', '> AT+NETOPEN', '< +NETOPEN: 0', '> AT+CIPRXGET=1', '< +IPADDR: 10.64.0.2'])
      assert.ok(t.indexOf(c) >= 0, 'transcript lacks ' + c);
    assert.match(rig.model.transcript[0], /^\[\d+\.\d{3}\] /);
    if (process.env.SIM7600_TRANSCRIPT) console.log(t);
  });

  it('reports configured() once the SIM is ready, and on() stops at on', function () {
    var rig = makeRig();
    assert.equal(rig.cell.configured(), false);
    rig.cell.on();
    assert.ok(until(rig, function () { return rig.cell.state() === IF_ON; }, 60000));
    assert.equal(rig.cell.configured(), true);
    rig.clock.advance(20000);
    assert.equal(rig.cell.state(), IF_ON);
  });

  it('powers off with a long PWRKEY press', function () {
    var rig = makeRig();
    rig.cell.connect();
    until(rig, function () { return rig.cell.state() === IF_READY; }, 60000);
    rig.cell.off();
    assert.ok(until(rig, function () { return rig.cell.state() === IF_OFF; }, 20000));
    assert.equal(rig.model.powered(), false);
  });
});

describe('Sim7600Interface with a modem already on', function () {
  it('syncs with AT at once when STATUS reads high at power-on (no PWRKEY press)', function () {
    var rig = makeRig({ model: { startOn: true } });
    var cell = new Sim7600Interface({ uart: rig.model.uart, clock: rig.clock, pwrkey: rig.model.pwrkey, status: rig.model.status, log: rig.log, apn: 'internet' });
    rig.cell = cell;
    cell.connect();
    assert.ok(until(rig, function () { return rig.cell.state() === IF_READY; }, 60000), 'stuck in ' + rig.cell.state());
    assert.equal(rig.model.boots, 0, 'PWRKEY must not be pressed: that would switch the modem off');
  });
});
