import { VirtualClock } from '../../hal/host/virtual-clock';
import { Sim7600Interface } from '../../src/drivers/sim7600/sim7600-interface';
import { IF_READY } from '../../src/net/types';
import { Sim7600Model } from './sim7600-model';
import { LoopCellNetwork, LOOP_SERVER_IP } from './loop-cell';

/** One direction of the bus-efficiency benchmark. */
export interface Sim7600BenchLeg {
  /** Payload bytes moved. */
  payload: number;
  /** UART bytes both ways while moving it (commands, responses, prompts, payload). */
  uartBytes: number;
  /** uartBytes / payload. */
  uartBytesPerPayloadByte: number;
  /** Bytes on the wire in the payload's own direction (device→modem for a send, modem→device for a receive) / payload. */
  dataDirBytesPerPayloadByte: number;
  /** Virtual time taken, ms (115200 baud wire timing). */
  ms: number;
}

export interface Sim7600BenchResult {
  send: Sim7600BenchLeg;
  recv: Sim7600BenchLeg;
  /** Both legs together. */
  uartBytesPerPayloadByte: number;
}

/**
 * Bus efficiency of the SIM7600 driver over its model: UART bytes per payload byte for a 16 KB TCP send
 * (to a discard service) and a 16 KB TCP receive (from a source service), in virtual time. Counts every
 * byte on the serial line in both directions from the first AT+CIPSEND (or +CIPRXGET: 1 URC) to the
 * last confirmation, connection set-up and teardown excluded.
 */
export function runSim7600Bench(size?: number): Sim7600BenchResult {
  var n = size || 16384;
  var clock = new VirtualClock(0);
  var net = new LoopCellNetwork({ clock: clock, latencyMs: 20 });
  net.sourceBytes = n;
  var model = new Sim7600Model({ clock: clock, net: net });
  var cell = new Sim7600Interface({ uart: model.uart, clock: clock, pwrkey: model.pwrkey, apn: 'internet', cellTimings: { healthMs: 0 } });
  cell.connect();
  if (!clock.runUntil(function () { return cell.state() === IF_READY; }, 120000)) throw new Error('cell not ready');

  // Send leg.
  var data = '';
  for (var i = 0; i < n; i++) data += String.fromCharCode((i * 31 + 7) & 255);
  var off = 0;
  var connected = false;
  var s = cell.tcp({
    host: LOOP_SERVER_IP, port: 9,
    onConnect: function () { connected = true; },
    onWritable: function () { go(); },
  })!;
  function go() {
    while (off < n) {
      var part = data.substr(off, 1500);
      if (!s.write(part)) return;
      off += part.length;
    }
  }
  clock.runUntil(function () { return connected; }, 30000);
  var b0 = model.bytesIn + model.bytesOut;
  var in0 = model.bytesIn;
  var t0 = clock.now();
  var tx0 = cell.counters().tx;
  go();
  clock.runUntil(function () { return cell.counters().tx - tx0 >= n; }, 120000);
  var send: Sim7600BenchLeg = leg(cell.counters().tx - tx0, model.bytesIn + model.bytesOut - b0, model.bytesIn - in0, clock.now() - t0);
  s.close();
  clock.advance(2000);

  // Receive leg: the source sends as soon as the connection is up; count from its first URC.
  var got = 0;
  var r = cell.tcp({ host: LOOP_SERVER_IP, port: 19, onData: function (d) { got += d.length; } });
  if (!r) throw new Error('no socket');
  var mark = model.transcript.length;
  clock.runUntil(function () {
    for (var k = mark; k < model.transcript.length; k++) if (model.transcript[k].indexOf('+CIPOPEN: ') >= 0) return true;
    return false;
  }, 30000);
  var b1 = model.bytesIn + model.bytesOut;
  var out1 = model.bytesOut;
  var t1 = clock.now();
  clock.runUntil(function () { return got >= n; }, 120000);
  var recv = leg(got, model.bytesIn + model.bytesOut - b1, model.bytesOut - out1, clock.now() - t1);
  return { send: send, recv: recv, uartBytesPerPayloadByte: round((send.uartBytes + recv.uartBytes) / (send.payload + recv.payload)) };
}

function leg(payload: number, bytes: number, dirBytes: number, ms: number): Sim7600BenchLeg {
  return {
    payload: payload, uartBytes: bytes, uartBytesPerPayloadByte: round(bytes / payload),
    dataDirBytesPerPayloadByte: round(dirBytes / payload), ms: Math.round(ms),
  };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

if (require.main === module) console.log(JSON.stringify(runSim7600Bench(), null, 2));
