/**
 * `npm start [-- options]`: the failover demo on the simulated board.
 *
 *   --scenario NAME|FILE   scenario to play (default demo; see sim/scenarios/)
 *   --seed N               world and jitter seed (default 1): the same seed gives the same run
 *   --speed N              virtual seconds per wall second (default 20; 1 = real time)
 *   --duration S           virtual seconds to run (default: the scenario's length)
 *   --headless             no dashboard: print the event log, then a summary (also when stdout is not a TTY)
 *   --cloud mqtt://H:P     use an outside MQTT broker, in real time
 *   --policy ours|baseline connection policy (default ours; baseline = the Particle-like model)
 *   --sketch FILE          another sketch (default examples/failover-demo.ts)
 *
 * Exit code 0 when every QoS 1 publish was delivered.
 */
import { runDemo, DemoOptions } from './run';

var USAGE = 'usage: npm start -- [--scenario NAME|FILE] [--seed N] [--speed N] [--duration S] [--headless]\n' +
  '                    [--cloud mqtt://host:port] [--policy ours|baseline] [--sketch FILE]';

/** Parses the command line; throws an Error with a message for the user. */
export function parseDemoArgs(argv: string[]): DemoOptions & { help?: boolean } {
  var o: DemoOptions & { help?: boolean } = {};
  for (var i = 0; i < argv.length; i++) {
    var a = argv[i];
    var eq = a.indexOf('=');
    var key = eq > 0 ? a.slice(0, eq) : a;
    var val = function (): string {
      if (eq > 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new Error(key + ' needs a value');
      return argv[++i];
    };
    var num = function (min: number): number {
      var s = val();
      var n = Number(s);
      if (!isFinite(n) || n < min) throw new Error(key + ': ' + s + ' is not a number >= ' + min);
      return n;
    };
    if (key === '--scenario') o.scenario = val();
    else if (key === '--seed') o.seed = Math.floor(num(0));
    else if (key === '--speed') o.speed = num(0.01);
    else if (key === '--duration') o.durationMs = Math.round(num(0.001) * 1000);
    else if (key === '--headless') o.headless = true;
    else if (key === '--cloud') {
      var c = val();
      if (!/^mqtt:\/\/[^/:]+(:\d+)?\/?$/.test(c)) throw new Error('--cloud: expected mqtt://host:port, got ' + c);
      o.cloud = c;
    } else if (key === '--policy') {
      var p = val();
      if (p !== 'ours' && p !== 'baseline') throw new Error('--policy: ours or baseline');
      o.policy = p;
    } else if (key === '--sketch') o.sketch = val();
    else if (key === '--help' || key === '-h') o.help = true;
    else throw new Error('unknown option ' + a);
  }
  return o;
}

async function main(): Promise<number> {
  var o: DemoOptions & { help?: boolean };
  try {
    o = parseDemoArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message + '\n' + USAGE);
    return 2;
  }
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    var r = await runDemo(o);
    return r.exitCode;
  } catch (e) {
    if (o.cloud && /cannot reach the broker/.test(String((e as Error).message))) {
      console.error((e as Error).message);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main().then(function (code) {
    process.exit(code);
  }, function (e) {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  });
}
