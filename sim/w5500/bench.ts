/**
 * Bus-efficiency benchmark of the W5500 driver against the chip model: SPI bytes on the bus per payload
 * byte, and SPI transactions (chip-select windows) per KB of payload, for a TCP send and a TCP receive of
 * `bytes` (default 16 KB) over an established connection. Runs in virtual time; the counted window starts
 * at the first write (send) or at the connection (receive) and ends when the last payload byte has been
 * acknowledged by SEND_OK (send) or handed to onData (receive). Idle polls in that window count.
 */
import { VirtualClock } from '../../hal/host/virtual-clock';
import { SimNic, SimTcpConn, SimTcpHandlers, SimUdpPort } from '../nic';
import { W5500Model } from './w5500-model';
import { W5500Interface, W5500Options } from '../../src/drivers/w5500/w5500-interface';
import { IF_READY } from '../../src/net/types';

export interface BusFigures {
  spiBytesPerPayloadByte: number;
  transactionsPerKB: number;
  spiBytes: number;
  transactions: number;
  payload: number;
  virtualMs: number;
}

export interface W5500Bench {
  send: BusFigures;
  receive: BusFigures;
}

var SINK = 9;
var SOURCE = 19;

/** A two-service NIC: port 9 discards (counting), port 19 sends `n` bytes on connect. 0.1 ms one way. */
class BenchNic implements SimNic {
  name = 'bench';
  sunk = 0;
  n = 0;
  constructor(public clock: VirtualClock) {}
  linkUp() {
    return true;
  }
  onLink() {
    return function () {};
  }
  setAddress() {}
  address() {
    return null;
  }
  onAddress() {
    return function () {};
  }
  resolve(_n: string, cb: (ip: string | null) => void) {
    cb(null);
  }
  udpOpen(): SimUdpPort {
    return { send: function () {}, close: function () {} };
  }
  tcpConnect(_ip: string, port: number, _lp: number, h: SimTcpHandlers): SimTcpConn {
    var self = this, c = this.clock;
    c.setTimeout(function () {
      h.onConnect();
      if (port === SOURCE) {
        for (var o = 0; o < self.n; o += 1460) {
          (function (b: Buffer) {
            c.setTimeout(function () {
              h.onData(b);
            }, 0.1);
          })(Buffer.alloc(Math.min(1460, self.n - o), 0x5a));
        }
      }
    }, 0.1);
    return {
      write: function (d: Buffer) {
        c.setTimeout(function () {
          self.sunk += d.length;
        }, 0.1);
      },
      end: function () {},
      destroy: function () {},
    };
  }
}

function figures(m: W5500Model, payload: number, ms: number): BusFigures {
  return {
    spiBytesPerPayloadByte: m.spiBytes / payload,
    transactionsPerKB: m.spiFrames / (payload / 1024),
    spiBytes: m.spiBytes,
    transactions: m.spiFrames,
    payload: payload,
    virtualMs: ms,
  };
}

function setup(opts?: Partial<W5500Options>) {
  var clock = new VirtualClock(0);
  var nic = new BenchNic(clock);
  var model = new W5500Model({ clock: clock, nic: nic });
  var eth = new W5500Interface(Object.assign({ spi: model, clock: clock }, opts || {}));
  eth.setConfig({ ip: '10.1.0.2', netmask: '255.255.255.0', gateway: '10.1.0.1', dns: '10.1.0.1' });
  eth.connect();
  clock.runUntil(function () {
    return eth.state() === IF_READY;
  }, 10000);
  return { clock: clock, nic: nic, model: model, eth: eth };
}

/** Runs both measurements; `opts` are passed to the driver (e.g. buffer sizes). */
export function benchW5500(bytes?: number, opts?: Partial<W5500Options>): W5500Bench {
  var n = bytes || 16384;
  var payload = '';
  for (var i = 0; i < n; i++) payload += String.fromCharCode(i & 0xff);

  // Send: n bytes written at once (queue sized for them), done when the last SEND_OK has been cleared.
  var a = setup(Object.assign({ txQueueMax: n }, opts || {}));
  var up = false;
  var s = a.eth.tcp({ host: '10.1.0.9', port: SINK, onConnect: function () { up = true; } })!;
  a.clock.runUntil(function () { return up; }, 5000);
  a.model.resetCounters();
  var t0 = a.clock.now();
  s.write(payload);
  a.clock.runUntil(function () {
    var ms = a.model.s[0];
    return a.nic.sunk >= n && !ms.sending && ms.ir === 0;
  }, 60000);
  var send = figures(a.model, n, a.clock.now() - t0);

  // Receive: the peer sends n bytes on connect.
  var b = setup(opts);
  b.nic.n = n;
  var got = 0;
  b.model.resetCounters();
  var t1 = b.clock.now();
  b.eth.tcp({ host: '10.1.0.9', port: SOURCE, onData: function (d) { got += d.length; } });
  // Connection set-up frames are not payload traffic: restart the count at the connection.
  b.clock.runUntil(function () { return (b.model.s[0].sr === 0x17); }, 5000);
  b.model.resetCounters();
  t1 = b.clock.now();
  b.clock.runUntil(function () { return got >= n; }, 60000);
  var receive = figures(b.model, n, b.clock.now() - t1);
  return { send: send, receive: receive };
}
