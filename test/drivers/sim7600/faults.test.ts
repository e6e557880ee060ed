import { strict as assert } from 'assert';
import { makeRig, until, payload, Rig } from './harness';
import { LOOP_SERVER_IP } from '../../../sim/sim7600/loop-cell';
import { SimPin } from '../../../sim/sim7600/sim-pin';
import { IF_READY, IF_FAILED, IF_CONNECTING, E_NETDOWN, E_DEVICE, R_NO_SIM, R_REGISTRATION_DENIED, R_NO_REGISTRATION, R_NO_HARDWARE } from '../../../src/net/types';
import { SIM_ABSENT } from '../../../src/drivers/sim7600/modem';
import { DEFAULT_RUNG_BUDGETS } from '../../../src/drivers/sim7600/sim7600-interface';

function isReady(rig: Rig) {
  return function () { return rig.cell.state() === IF_READY; };
}
function isFailed(rig: Rig) {
  return function () { return rig.cell.state() === IF_FAILED; };
}
function ready(o?: any): Rig {
  var rig = makeRig(o);
  rig.cell.connect();
  assert.ok(until(rig, isReady(rig), 60000), 'not ready: ' + rig.states.join(','));
  return rig;
}
function echoSocket(rig: Rig) {
  var st = { got: '', closed: -1, connected: false, s: null as any };
  st.s = rig.cell.tcp({
    host: LOOP_SERVER_IP, port: 7,
    onConnect: function () { st.connected = true; },
    onData: function (d) { st.got += d; },
    onClose: function (e) { st.closed = e; },
  });
  assert.ok(until(rig, function () { return st.connected; }, 20000));
  return st;
}

describe('Sim7600Interface faults', function () {
  it('fails with no_sim when no SIM is inserted, with a "sim" event', function () {
    var rig = makeRig();
    rig.model.faults.sim = 'NOT INSERTED';
    var sims: number[] = [];
    rig.cell.events.on('sim', function (s: number) { sims.push(s); });
    rig.cell.connect();
    assert.ok(until(rig, isFailed(rig), 60000));
    assert.equal(rig.cell.reason(), R_NO_SIM);
    assert.deepEqual(sims, [SIM_ABSENT]);
    assert.equal(rig.cell.configured(), false);
  });

  it('unlocks a SIM PIN with the configured PIN (never put in the transcript)', function () {
    var rig = makeRig({ net: { sim: 'SIM PIN', pin: '4321' }, cell: { pin: '4321' } });
    rig.cell.connect();
    assert.ok(until(rig, isReady(rig), 60000), rig.states.join(','));
    var t = rig.model.transcript.join('\n') + rig.log.lines.join('\n');
    assert.ok(t.indexOf('AT+CPIN=<redacted>') >= 0);
    assert.equal(t.indexOf('4321'), -1);
  });

  it('sends the PDP credentials with AT+CGAUTH and never logs the password', function () {
    var rig = makeRig({ cell: { user: 'iot', password: 'pa55word' } });
    rig.cell.connect();
    assert.ok(until(rig, isReady(rig), 60000));
    assert.ok(rig.model.transcript.some(function (l) { return l.indexOf('> AT+CGAUTH=<redacted>') >= 0; }));
    assert.ok(rig.log.lines.some(function (l) { return l.indexOf('> AT+CGAUTH=') >= 0; }), 'the command is logged, redacted');
    assert.equal((rig.model.transcript.join('\n') + rig.log.lines.join('\n')).indexOf('pa55word'), -1);
  });

  it('fails with no_sim on a SIM PIN without a configured PIN', function () {
    var rig = makeRig({ net: { sim: 'SIM PIN' } });
    rig.cell.connect();
    assert.ok(until(rig, isFailed(rig), 60000));
    assert.equal(rig.cell.reason(), R_NO_SIM);
  });

  it('fails with registration_denied when the network denies registration', function () {
    var rig = makeRig({ net: { regStat: 3 } });
    rig.cell.connect();
    assert.ok(until(rig, isFailed(rig), 60000));
    assert.equal(rig.cell.reason(), R_REGISTRATION_DENIED);
    assert.deepEqual(rig.states, ['powering_on', 'on', 'connecting', 'failed(registration_denied)']);
  });

  it('fails with no_registration when the modem keeps searching', function () {
    var rig = makeRig({ net: { regStat: 2 }, cell: { cellTimings: { regMs: 30000 } } });
    rig.cell.connect();
    assert.ok(until(rig, isFailed(rig), 60000));
    assert.equal(rig.cell.reason(), R_NO_REGISTRATION);
  });

  it('fails with no_hardware when the modem never answers', function () {
    var rig = makeRig({ cell: { pwrkey: new SimPin(true), timings: { bootMs: 10000 } } });
    rig.cell.connect();
    assert.ok(until(rig, isFailed(rig), 30000));
    assert.equal(rig.cell.reason(), R_NO_HARDWARE);
    assert.ok(rig.clock.now() <= 11000);
  });

  it('on PDP loss (+CIPEVENT) closes sockets with E_NETDOWN and re-opens the PDP', function () {
    var rig = ready();
    var s = echoSocket(rig);
    var acts = rig.net.activations;
    rig.net.losePdp();
    assert.ok(until(rig, function () { return s.closed >= 0; }, 1000));
    assert.equal(s.closed, E_NETDOWN);
    assert.equal(rig.cell.state(), IF_CONNECTING);
    assert.ok(until(rig, isReady(rig), DEFAULT_RUNG_BUDGETS[1]));
    assert.deepEqual(rig.recovery, ['1:start', '1:ok']);
    assert.equal(rig.net.activations, acts + 1);
    assert.ok(rig.model.transcript.some(function (l) { return l.indexOf('< +CIPEVENT: NETWORK CLOSED UNEXPECTEDLY') >= 0; }));
    var s2 = echoSocket(rig);
    s2.s.write('again');
    assert.ok(until(rig, function () { return s2.got === 'again'; }, 5000));
  });

  it('a second fault soon after a recovery starts one rung higher', function () {
    var rig = ready();
    rig.net.losePdp();
    assert.ok(until(rig, function () { return rig.recovery.length === 2; }, 100000));
    rig.clock.advance(5000);
    rig.net.losePdp();
    assert.ok(until(rig, function () { return rig.recovery.length === 4; }, 100000));
    assert.equal(rig.cell.state(), IF_READY);
    assert.deepEqual(rig.recovery, ['1:start', '1:ok', '2:start', '2:ok']);
    assert.ok(rig.model.transcript.some(function (l) { return l.indexOf('> AT+CFUN=0') >= 0; }));
  });

  it('retries a chunk once after +CIPERROR and delivers the data', function () {
    var rig = ready();
    var s = echoSocket(rig);
    rig.model.faults.cipError = 1;
    s.s.write('hello');
    assert.ok(until(rig, function () { return s.got === 'hello'; }, 10000));
    assert.equal(s.closed, -1);
    assert.equal(rig.model.counts['AT+CIPSEND'], 2);
  });

  it('closes the socket with E_DEVICE after repeated +CIPERROR and climbs the socket rung', function () {
    var rig = ready();
    var s = echoSocket(rig);
    var errors: string[] = [];
    rig.cell.events.on('error', function (e: Error) { errors.push(e.message); });
    rig.model.faults.cipError = 2;
    s.s.write('hello');
    assert.ok(until(rig, function () { return s.closed >= 0; }, 10000));
    assert.equal(s.closed, E_DEVICE);
    assert.ok(until(rig, function () { return rig.recovery.length === 2; }, 20000));
    assert.deepEqual(rig.recovery, ['0:start', '0:ok']);
    assert.equal(rig.cell.state(), IF_READY);
    assert.ok(errors.indexOf('CIPSEND failed') >= 0);
  });

  it('a modem silent for 30 s reaches the power-cycle rung within its budget and comes back', function () {
    var rig = ready();
    var times: { [k: string]: number } = {};
    rig.cell.events.on('recovery', function (r: number, what: string) { times[r + ':' + what] = rig.clock.now(); });
    var t0 = rig.clock.now();
    rig.model.faults.silent = true;
    assert.ok(until(rig, function () { return times['3:start'] !== undefined; }, 30000 + DEFAULT_RUNG_BUDGETS[0] + DEFAULT_RUNG_BUDGETS[1] + DEFAULT_RUNG_BUDGETS[2]));
    // Detected by the health poll (AT+NETOPEN? every 30 s) timing out, then each rung gives up in its budget.
    assert.ok(times['0:start'] - t0 <= 30000 + 5000, 'detected after ' + (times['0:start'] - t0) + ' ms');
    assert.ok(times['3:start'] - times['0:start'] <= DEFAULT_RUNG_BUDGETS[0] + DEFAULT_RUNG_BUDGETS[1] + DEFAULT_RUNG_BUDGETS[2]);
    for (var r = 0; r < 3; r++) assert.ok(times[r + ':fail'] - times[r + ':start'] <= DEFAULT_RUNG_BUDGETS[r], 'rung ' + r);
    assert.ok(until(rig, isReady(rig), DEFAULT_RUNG_BUDGETS[3]));
    assert.ok(times['3:ok'] - times['3:start'] <= DEFAULT_RUNG_BUDGETS[3]);
    assert.equal(rig.model.boots, 2);
    assert.deepEqual(rig.recovery, ['0:start', '0:fail', '1:start', '1:fail', '2:start', '2:fail', '3:start', '3:ok']);
  });

  it('skips garbled and noisy bytes, counting them, and keeps working', function () {
    var rig = ready();
    var s = echoSocket(rig);
    rig.model.faults.noise = 6;
    rig.model.faults.garble = 2;
    var data = payload(3000, 5);
    s.s.write(data);
    assert.ok(until(rig, function () { return s.got.length >= 3000 && rig.cell.state() === IF_READY; }, 60000), 'got ' + s.got.length);
    assert.ok(s.got === data);
    assert.ok(rig.cell.atCounters().garbage >= 6, 'garbage ' + rig.cell.atCounters().garbage);
  });

  it('routes URCs injected mid-response and loses nothing', function () {
    var rig = makeRig();
    rig.model.faults.urcMid = true;
    rig.cell.connect();
    assert.ok(until(rig, isReady(rig), 60000));
    var s = echoSocket(rig);
    var data = payload(4000, 11);
    s.s.write(data);
    assert.ok(until(rig, function () { return s.got.length >= 4000; }, 60000));
    assert.ok(s.got === data);
    assert.equal(rig.cell.atCounters().garbage, 0);
    assert.ok(rig.model.transcript.some(function (l) { return l.indexOf('< +CTZV: 32') >= 0; }));
    assert.deepEqual(rig.recovery, []);
  });

  it('tolerates slow responses', function () {
    var rig = makeRig();
    rig.model.faults.slowMs = 800;
    rig.cell.connect();
    assert.ok(until(rig, isReady(rig), 120000));
    var s = echoSocket(rig);
    s.s.write('slow');
    assert.ok(until(rig, function () { return s.got === 'slow'; }, 30000));
    assert.deepEqual(rig.recovery, []);
  });

  it('re-opens the PDP when registration is lost and regained', function () {
    var rig = ready();
    rig.net.setRegistration(2);
    rig.clock.advance(3000);
    assert.notEqual(rig.cell.state(), IF_READY);
    rig.net.setRegistration(1);
    assert.ok(until(rig, isReady(rig), 100000));
    assert.equal(rig.recovery[0], '1:start');
  });
});
