import { strict as assert } from 'assert';
import { SimNicSockets } from '../../../hal/host/sim-nic-sockets';
import { VirtualClock } from '../../../hal/host/virtual-clock';
import { FakeNic, ECHO_IP, ECHO_NAME, ECHO_PORT } from '../../drivers/wifi/fake-airspace';

function setup(withNic = true) {
  const clock = new VirtualClock();
  const nic = new FakeNic(clock, 'wl');
  nic.setAddress('192.168.1.50');
  const s = new SimNicSockets({ nic: () => (withNic ? nic : null), clock });
  return { clock, nic, s };
}

function tcpHandlers(log: string[]) {
  return {
    onConnect: () => log.push('connect'),
    onData: (d: string) => log.push('data:' + d),
    onClose: (e: string | null) => log.push('close:' + e),
    onDrain: () => log.push('drain'),
  };
}

describe('SimNicSockets (Wi-Fi native sockets on the host)', () => {
  it('echoes UDP through the NIC as binary strings', () => {
    const { clock, s } = setup();
    const got: string[] = [];
    const u = s.udp(0, { onMessage: (d, a, p) => got.push(a + ':' + p + ':' + d), onError: () => got.push('err') });
    u.send('\x00\xffhi', ECHO_IP, ECHO_PORT);
    clock.advance(100);
    assert.deepEqual(got, [ECHO_IP + ':' + ECHO_PORT + ':\x00\xffhi']);
  });

  it('resolves a host name through the NIC for UDP', () => {
    const { clock, s } = setup();
    const got: string[] = [];
    const u = s.udp(0, { onMessage: (d, a) => got.push(a + ' ' + d), onError: (e) => got.push('err ' + e) });
    u.send('x', ECHO_NAME, ECHO_PORT);
    u.send('y', 'nowhere.test', ECHO_PORT);
    clock.advance(200);
    assert.deepEqual(got.sort(), [ECHO_IP + ' x', 'err Unable to locate host']);
  });

  it('connects TCP by name, echoes and closes normally', () => {
    const { clock, s } = setup();
    const log: string[] = [];
    const t = s.connect(ECHO_NAME, ECHO_PORT, tcpHandlers(log));
    assert.equal(t.write('early'), true);
    clock.advance(100);
    t.write('\x80more');
    clock.advance(100);
    t.end();
    clock.advance(100);
    assert.deepEqual(log, ['connect', 'data:early', 'data:\x80more', 'close:null']);
  });

  it('reports a refused TCP connect', () => {
    const { clock, s } = setup();
    const log: string[] = [];
    s.connect(ECHO_IP, 9, tcpHandlers(log));
    clock.advance(100);
    assert.deepEqual(log, ['close:connection refused']);
  });

  it('fails sockets with network down when there is no association', () => {
    const { clock, s } = setup(false);
    const log: string[] = [];
    s.connect(ECHO_IP, ECHO_PORT, tcpHandlers(log));
    s.udp(0, { onMessage: () => log.push('msg'), onError: (e) => log.push('udp:' + e) });
    clock.advance(1);
    assert.deepEqual(log, ['close:network down', 'udp:network down']);
  });
});
