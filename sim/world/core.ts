import { Clock } from '../../hal/clock';
import { EventLog } from './event-log';
import { Rng } from './rng';

/** TCP model settings (world-wide). */
export interface TcpConfig {
  /** Largest payload per segment; a write is cut into segments of at most this. */
  mss: number;
  /** Most unacknowledged bytes in flight per direction. */
  windowBytes: number;
  /** Retransmission timeout before any RTT sample (RFC 6298: 1 s). */
  initialRtoMs: number;
  /** Floor of the computed RTO (Linux: 200 ms). */
  minRtoMs: number;
  /** Ceiling of the backed-off RTO. */
  maxRtoMs: number;
  /** SYN retransmitted at RTO 1 s, 2 s, 4 s…; the connect fails with 'timeout' after this. */
  connectTimeoutMs: number;
  /** Data unacknowledged this long (an outage) aborts the connection with 'timeout' (TCP_USER_TIMEOUT). */
  userTimeoutMs: number;
  /** Delayed ACK; a second segment or a FIN is acknowledged at once. 0 = ACK every segment at once. */
  ackDelayMs: number;
}

export const DEFAULT_TCP: TcpConfig = {
  mss: 1460,
  windowBytes: 65535,
  initialRtoMs: 1000,
  minRtoMs: 200,
  maxRtoMs: 60000,
  connectTimeoutMs: 30000,
  userTimeoutMs: 30000,
  ackDelayMs: 40,
};

/** What the protocol stacks (device NICs, hosts) need from the world. */
export interface NetCore {
  readonly clock: Clock;
  readonly log: EventLog;
  readonly rng: Rng;
  readonly tcp: TcpConfig;
  /** Something a Node stream listens to changed: the async runner must let Node's event loop turn. */
  touch(): void;
}
