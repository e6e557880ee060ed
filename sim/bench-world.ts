/**
 * World benchmark: one hour of virtual time with three links (Ethernet, Wi-Fi, cellular), the demo
 * scenario's outages, periodic UDP echo pings and an mqtt.js QoS 1 session per link against the embedded
 * aedes broker. Prints the wall time it took and what crossed each link.
 *
 *   npx ts-node --transpile-only sim/bench-world.ts [virtualMinutes] [seed]
 */
import { loadScenario, runScenario, worldFor, TrafficDevice } from './world';

export interface WorldBenchResult {
  virtualMs: number;
  wallMs: number;
  events: number;
  pingsAnswered: number;
  mqttPublishesAcked: number;
  links: { [nic: string]: { txBytes: number; rxBytes: number } };
}

/** Runs the benchmark; resolves with its figures. */
export async function benchWorld(virtualMs?: number, seed?: number): Promise<WorldBenchResult> {
  var duration = virtualMs || 3600000;
  var s = loadScenario('demo');
  var w = worldFor(s, { seed: seed === undefined ? 1 : seed });
  w.link('wl0').set({ loss: 0.01 });
  w.link('cell0').set({ loss: 0.02 });
  var t0 = process.hrtime.bigint();
  var dev = new TrafficDevice(w, { pingMs: 5000, publishMs: 10000, keepalive: 60, qos: 1 });
  runScenario(w, s);
  await w.run(duration);
  var wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  dev.stop();
  var links: WorldBenchResult['links'] = {};
  w.nics().forEach(function (n) {
    var st = n.link.stats();
    links[n.name] = { txBytes: st.txBytes, rxBytes: st.rxBytes };
  });
  var pings = 0;
  var acked = 0;
  dev.pingers.forEach(function (p) {
    pings += p.stats.received;
  });
  dev.sessions.forEach(function (m) {
    acked += m.stats.acked;
  });
  var events = w.events().length;
  await w.close();
  return { virtualMs: duration, wallMs: wallMs, events: events, pingsAnswered: pings, mqttPublishesAcked: acked, links: links };
}

if (require.main === module) {
  var minutes = Number(process.argv[2] || 60);
  var seed = Number(process.argv[3] || 1);
  benchWorld(minutes * 60000, seed).then(function (r) {
    console.log('world bench: ' + minutes + ' min virtual (3 links, broker, pings, MQTT) in ' + (r.wallMs / 1000).toFixed(2) + ' s wall');
    console.log(JSON.stringify(r, null, 2));
  }, function (e) {
    console.error(e);
    process.exit(1);
  });
}
