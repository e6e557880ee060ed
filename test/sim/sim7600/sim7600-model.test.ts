import { strict as assert } from 'assert';
import { VirtualClock } from '../../../hal/host/virtual-clock';
import { Sim7600Model } from '../../../sim/sim7600/sim7600-model';
import { LoopCellNetwork, LOOP_SERVER_IP } from '../../../sim/sim7600/loop-cell';

/** The model with the test as its host: raw bytes in, everything the model sent collected. */
function rig(o?: { startOn?: boolean }) {
  var clock = new VirtualClock(0);
  var net = new LoopCellNetwork({ clock: clock });
  var m = new Sim7600Model({ clock: clock, net: net, startOn: o && o.startOn });
  var r = { clock: clock, net: net, m: m, out: '' };
  m.uart.onData(function (d) { r.out += d; });
  return r;
}
type R = ReturnType<typeof rig>;
function press(r: R, ms: number) {
  r.m.pwrkey.write(false);
  r.clock.advance(ms);
  r.m.pwrkey.write(true);
}
/** Sends a command and returns what came back within `ms`. */
function at(r: R, cmd: string, ms?: number): string {
  r.out = '';
  r.m.uart.write(cmd + '\r');
  r.clock.advance(ms || 50);
  return r.out;
}
function booted(): R {
  var r = rig();
  press(r, 500);
  r.clock.advance(5000);
  at(r, 'ATE0');
  return r;
}
function online(): R {
  var r = booted();
  at(r, 'AT+CEREG=1');
  r.clock.advance(3000);
  at(r, 'AT+CIPRXGET=1');
  at(r, 'AT+NETOPEN', 1000);
  return r;
}

describe('Sim7600Model', function () {
  it('boots on a PWRKEY press with STATUS high and the boot URCs', function () {
    var r = rig();
    assert.equal(r.m.status.read(), false);
    press(r, 500);
    r.clock.advance(4000);
    assert.equal(r.m.status.read(), true);
    assert.equal(r.out, '\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n');
  });

  it('ignores a short press while on and powers off on a long one', function () {
    var r = booted();
    press(r, 500);
    r.clock.advance(2000);
    assert.equal(r.m.status.read(), true);
    r.out = '';
    press(r, 2600);
    r.clock.advance(2000);
    assert.equal(r.out, '\r\nNORMAL POWER DOWN\r\n');
    assert.equal(r.m.status.read(), false);
    assert.equal(at(r, 'AT'), '');
  });

  it('echoes commands after boot until ATE0', function () {
    var r = rig();
    press(r, 500);
    r.clock.advance(5000);
    assert.equal(at(r, 'AT'), 'AT\r\r\nOK\r\n');
    assert.equal(at(r, 'ATE0'), 'ATE0\r\r\nOK\r\n');
    assert.equal(at(r, 'AT'), '\r\nOK\r\n');
  });

  it('answers +CSQ, +CPIN and the registration queries in 27.007 form', function () {
    var r = booted();
    assert.equal(at(r, 'AT+CSQ'), '\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    assert.equal(at(r, 'AT+CPIN?'), '\r\n+CPIN: READY\r\n\r\nOK\r\n');
    at(r, 'AT+CEREG=1');
    r.clock.advance(3000);
    assert.equal(at(r, 'AT+CEREG?'), '\r\n+CEREG: 1,1\r\n\r\nOK\r\n');
  });

  it('opens the network with a second-stage +NETOPEN and refuses a second open', function () {
    var r = booted();
    at(r, 'AT+CEREG=1');
    r.clock.advance(3000);
    assert.equal(at(r, 'AT+NETOPEN', 1000), '\r\nOK\r\n\r\n+NETOPEN: 0\r\n');
    assert.equal(at(r, 'AT+NETOPEN'), '\r\n+IP ERROR: Network is already opened\r\n\r\nERROR\r\n');
    assert.equal(at(r, 'AT+IPADDR'), '\r\n+IPADDR: 10.64.0.2\r\n\r\nOK\r\n');
  });

  it('sends after the > prompt and confirms with +CIPSEND', function () {
    var r = online();
    assert.equal(at(r, 'AT+CIPOPEN=0,"TCP","' + LOOP_SERVER_IP + '",9', 500), '\r\nOK\r\n\r\n+CIPOPEN: 0,0\r\n');
    assert.equal(at(r, 'AT+CIPSEND=0,5'), '\r\n>');
    r.out = '';
    r.m.uart.write('OK\r\n\x1a');
    r.clock.advance(500);
    assert.equal(r.out, '\r\nOK\r\n\r\n+CIPSEND: 0,5,5\r\n');
    assert.equal(r.net.discarded, 5);
    assert.equal(at(r, 'AT+CIPSEND=0,1501'), '\r\n+CIPERROR: 3\r\n');
  });

  it('announces data once with +CIPRXGET: 1 and returns it by length with AT+CIPRXGET=2', function () {
    var r = online();
    at(r, 'AT+CIPOPEN=1,"TCP","' + LOOP_SERVER_IP + '",7', 500);
    at(r, 'AT+CIPSEND=1,6');
    r.out = '';
    r.m.uart.write('a\r\nOK\n');
    r.clock.advance(500);
    assert.equal(r.out, '\r\nOK\r\n\r\n+CIPSEND: 1,6,6\r\n\r\n+CIPRXGET: 1,1\r\n');
    assert.equal(at(r, 'AT+CIPRXGET=4,1'), '\r\n+CIPRXGET: 4,1,6\r\n\r\nOK\r\n');
    assert.equal(at(r, 'AT+CIPRXGET=2,1,4'), '\r\n+CIPRXGET: 2,1,4,2\r\na\r\nO\r\nOK\r\n');
    assert.equal(at(r, 'AT+CIPRXGET=2,1,1500'), '\r\n+CIPRXGET: 2,1,2,0\r\nK\n\r\nOK\r\n');
    assert.equal(at(r, 'AT+CIPRXGET=2,1,1500'), '\r\n+IP ERROR: No data\r\n\r\nERROR\r\n');
  });

  it('reports the peer of a UDP datagram after the read lengths', function () {
    var r = online();
    assert.equal(at(r, 'AT+CIPOPEN=2,"UDP",,,5000'), '\r\nOK\r\n\r\n+CIPOPEN: 2,0\r\n');
    at(r, 'AT+CIPSEND=2,3,"' + LOOP_SERVER_IP + '",7');
    r.m.uart.write('abc');
    r.clock.advance(500);
    assert.equal(at(r, 'AT+CIPRXGET=2,2,1500'), '\r\n+CIPRXGET: 2,2,3,0,' + LOOP_SERVER_IP + ':7\r\nabc\r\nOK\r\n');
  });

  it('closes links with +CIPCLOSE and reports a closed link with error 4', function () {
    var r = online();
    at(r, 'AT+CIPOPEN=0,"TCP","' + LOOP_SERVER_IP + '",7', 500);
    assert.equal(at(r, 'AT+CIPCLOSE=0'), '\r\nOK\r\n\r\n+CIPCLOSE: 0,0\r\n');
    assert.equal(at(r, 'AT+CIPCLOSE=0'), '\r\n+CIPCLOSE: 0,4\r\n\r\nERROR\r\n');
  });

  it('reports +CIPEVENT when the network drops the PDP context', function () {
    var r = online();
    r.out = '';
    r.net.losePdp();
    r.clock.advance(10);
    assert.equal(r.out, '\r\n+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY\r\n');
    assert.equal(at(r, 'AT+NETOPEN?'), '\r\n+NETOPEN: 0\r\n\r\nOK\r\n');
  });

  it('stays silent until power-cycled through PWRKEY', function () {
    var r = booted();
    r.m.faults.silent = true;
    assert.equal(at(r, 'AT', 1000), '');
    press(r, 2600);
    r.clock.advance(2000);
    press(r, 500);
    r.clock.advance(5000);
    assert.equal(at(r, 'AT'), 'AT\r\r\nOK\r\n');
    assert.equal(r.m.boots, 2);
  });

  it('counts UART bytes both ways and timestamps the transcript', function () {
    var r = booted();
    var i0 = r.m.bytesIn, o0 = r.m.bytesOut;
    at(r, 'AT+CSQ');
    assert.equal(r.m.bytesIn - i0, 7);
    assert.equal(r.m.bytesOut - o0, '\r\n+CSQ: 20,99\r\n\r\nOK\r\n'.length);
    var t = r.m.transcript.slice(-3);
    assert.match(t[0], /^\[\d+\.\d{3}\] > AT\+CSQ$/);
    assert.match(t[1], /^\[\d+\.\d{3}\] < \+CSQ: 20,99$/);
  });

  it('redacts the PIN and PDP password in the transcript', function () {
    var r = booted();
    at(r, 'AT+CGAUTH=1,1,"s3cret","bob"');
    var t = r.m.transcript.join('\n');
    assert.equal(t.indexOf('s3cret'), -1);
    assert.ok(t.indexOf('> AT+CGAUTH=<redacted>') >= 0);
  });
});
