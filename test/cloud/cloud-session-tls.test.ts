import { strict as assert } from 'assert';
import { VirtualClock } from '../../hal/host/virtual-clock';
import { CloudSession } from '../../src/cloud/cloud-session';
import { IfBase } from '../../src/net/if-base';
import { R_NO_SERVER, IF_READY } from '../../src/net/types';

/** A ready interface that records its TCP dials (and never connects them). */
class DialIf extends IfBase {
  dials: any[] = [];
  resolves = 0;
  constructor(private _tls: boolean) {
    super('x0', 'wifi');
    this._set(IF_READY);
  }
  configured() { return true; }
  on() {}
  off() {}
  connect() {}
  disconnect() {}
  canTls() { return this._tls; }
  tcp(o: any) {
    this.dials.push({ host: o.host, port: o.port, tls: !!o.tls });
    return { write: () => false, close: () => {} };
  }
  udp() { return null; }
  resolve(_h: string, cb: (e: number, ip: string) => void) {
    this.resolves++;
    cb(0, '10.0.0.1');
  }
}

function session(clock: VirtualClock, o: any) {
  return new CloudSession(Object.assign({ clock, host: 'cloud.example.com', deviceId: 'd1' }, o));
}

describe('CloudSession over TLS', () => {
  it('dials the TLS port by server name, with tls set', () => {
    const clock = new VirtualClock();
    const s = session(clock, { tls: true, tlsPort: 8884 });
    const i = new DialIf(true);
    s.connect(i, () => {});
    clock.advance(1);
    assert.deepEqual(i.dials, [{ host: 'cloud.example.com', port: 8884, tls: true }]);
    assert.equal(s.port(), 8884);
  });

  it('fails on an interface without TLS, asynchronously, and never dials in plain text', () => {
    const clock = new VirtualClock();
    const s = session(clock, { tls: true });
    const i = new DialIf(false);
    const got: number[] = [];
    s.connect(i, (r) => got.push(r));
    assert.deepEqual(got, [], 'the result is never synchronous');
    clock.advance(1);
    assert.deepEqual(got, [R_NO_SERVER]);
    assert.deepEqual(i.dials, []);
  });

  it('without tls, resolves the host and dials the plain port', () => {
    const clock = new VirtualClock();
    const s = session(clock, {});
    const i = new DialIf(true);
    s.connect(i, () => {});
    clock.advance(1);
    assert.equal(i.resolves, 1);
    assert.deepEqual(i.dials, [{ host: '10.0.0.1', port: 1883, tls: false }]);
  });
});
