import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as net from 'net';
import * as dgram from 'dgram';
import { buildFirmware, ROOT } from '../../../build/build';
import { runInEspruinoAsync } from '../../../build/espruino-run';

/**
 * The Espruino bindings in a real Espruino (Linux build, ESPRUINO_BIN): Storage, clock, log, and TCP/UDP
 * sockets against echo servers in this process. The sketch is written at test time (it imports the
 * firmware files by absolute path, so the host type-check never sees them).
 */
function sketchSource(tcpPort: number, udpPort: number): string {
  var hal = function (f: string) { return JSON.stringify(path.join(ROOT, 'hal', 'espruino', f)); };
  return [
    'import { EspruinoStorage } from ' + hal('storage') + ';',
    'import { EspruinoClock } from ' + hal('clock') + ';',
    'import { EspruinoLog } from ' + hal('log') + ';',
    'import { EspruinoSockets } from ' + hal('sockets') + ';',
    'var st = new EspruinoStorage();',
    'console.log("write", st.write("ns.a", "x\\u00ff"), st.writeJSON("ns.j", { n: 1 }), st.write("a-name-that-is-longer-than-28-chars", "x"));',
    'console.log("read", st.read("ns.a") === "x\\u00ff", JSON.stringify(st.readJSON("ns.j")), st.read("none"), JSON.stringify(st.list("ns.")));',
    'st.erase("ns.a");',
    'console.log("erased", st.read("ns.a"), JSON.stringify(st.list("ns.")));',
    'var clock = new EspruinoClock();',
    'clock.clearTimeout(undefined);',
    'var t0 = clock.now();',
    'var cancelled = clock.setTimeout(function () { console.log("cancelled timer fired"); }, 5);',
    'clock.clearTimeout(cancelled);',
    'new EspruinoLog().log(1, "test", "warned");',
    'var sockets = new EspruinoSockets();',
    'var tcp = sockets.connect("127.0.0.1", ' + tcpPort + ', {',
    '  onConnect: function () { console.log("tcp connected"); tcp.write("hi"); },',
    '  onData: function (d: string) { console.log("tcp data " + d); tcp.end(); },',
    '  onClose: function (e: string | null) { console.log("tcp closed " + e); },',
    '  onDrain: function () {},',
    '});',
    'var udp = sockets.udp(0, {',
    '  onMessage: function (d: string, a: string, p: number) { console.log("udp " + d + " from " + a + ":" + p); udp.close(); },',
    '  onError: function (e: string) { console.log("udp error " + e); },',
    '});',
    'udp.send("ping", "127.0.0.1", ' + udpPort + ');',
    'clock.setTimeout(function () { console.log("timer after " + (clock.now() - t0 >= 20)); }, 20);',
  ].join('\n') + '\n';
}

describe('Espruino bindings in the real interpreter', function () {
  var tmp: string;
  var server: net.Server;
  var udp: dgram.Socket;

  before(function (done) {
    if (!process.env.ESPRUINO_BIN) this.skip();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-test-'));
    server = net.createServer(function (c) {
      c.on('data', function (d) { c.write('echo:' + d); });
    });
    udp = dgram.createSocket('udp4');
    udp.on('message', function (m, r) { udp.send(m, r.port, r.address); });
    server.listen(0, '127.0.0.1', function () {
      udp.bind(0, '127.0.0.1', function () { done(); });
    });
  });

  after(function () {
    if (server) server.close();
    if (udp) udp.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('storage, clock, log and native sockets behave as the HAL says', async function () {
    var tcpPort = (server.address() as net.AddressInfo).port;
    var udpPort = udp.address().port;
    var sketch = path.join(tmp, 'bindings.ts');
    fs.writeFileSync(sketch, sketchSource(tcpPort, udpPort));
    var r = await buildFirmware({ noBoard: true, sketch: sketch, outDir: tmp, name: 'bindings' });
    var run = await runInEspruinoAsync(process.env.ESPRUINO_BIN as string, r.file, 10000);
    assert.deepEqual(run.errors, []);
    var lines = run.lines.slice().sort();
    assert.deepEqual(lines, [
      'W test: warned',
      'erased undefined ["ns.j"]',
      'read true {"n":1} undefined ["ns.a","ns.j"]',
      'tcp closed null',
      'tcp connected',
      'tcp data echo:hi',
      'timer after true',
      'udp ping from 127.0.0.1:' + udpPort,
      'write true true false',
    ]);
  });
});
