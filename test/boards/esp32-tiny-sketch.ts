/** A tiny sketch for test/boards/esp32.test.ts when examples/failover-demo.ts is missing. */
import { Particle, System } from 'netswitch';

var n = 0;

export function setup(): void {
  System.on('cloud_status', function () {});
}

export function loop(): void {
  if (++n % 500 === 0) Particle.publish('tick', '' + n);
}
