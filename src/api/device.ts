import { Clock } from '../../hal/clock';
import { Storage } from '../../hal/storage';
import { Log } from '../../hal/log';
import { Memory } from '../../hal/memory';
import { NetInterface } from '../net/interface';
import { CloudLink } from '../connection/cloud-link';
import { Policy } from '../connection/policy';

/** Device-wide configuration a board (or a sketch) passes in. Secrets never go to logs or events. */
export interface DeviceConfig {
  /** Overrides of the connection policy's knobs (docs/connection-manager.md). */
  connection?: any;
  /** Another policy (e.g. the Particle-like baseline for benchmarks). */
  policy?: Policy;
  /** Seed of the jitter source (default: derived from the interfaces' MAC addresses). */
  seed?: number;
  /** Random numbers in [0, 1) (e.g. Math.random on the board). */
  rnd?: () => number;
  [key: string]: any;
}

/** What a board assembles: the HAL objects, its network interfaces and the cloud session. */
export interface Device {
  clock: Clock;
  storage: Storage;
  log?: Log;
  interfaces: NetInterface[];
  cloud: CloudLink;
  config?: DeviceConfig;
  /** The variable pool: when it reports low memory the runtime sheds what it can (System "low_memory"). */
  mem?: Memory;
}
