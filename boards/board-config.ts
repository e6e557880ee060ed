/**
 * The configuration keys every real board shares (cloud, cellular, features, policy, logging). Each board's
 * own config extends this with its hardware keys; the values and defaults stay with the board.
 */
export interface BoardConfigBase {
  /** MQTT client id and topic level (no "/", "+", "#"); each board derives a default from its serial. */
  deviceId: string;
  /** Cloud host (MQTT broker and UDP echo), a name or an address. */
  host: string;
  port: number;
  /** UDP echo port of the cloud host (the dev cloud's default is 7007). */
  echoPort: number;
  username: string;
  /** Never logged. */
  password: string;
  /** MQTT keepalive, s; 0: a backstop behind the policy's liveness checks (at least 60). */
  keepAliveS: number;
  clean: boolean;
  /** Cellular: access point name, PDP user/password (never logged), SIM PIN (never logged). */
  apn: string;
  apnUser: string;
  apnPassword: string;
  simPin: string;
  /** FEATURE_ETHERNET_DETECTION on a device that has not stored features yet (System.enableFeature wins). */
  ethernet: boolean;
  /** LOG_ERROR 0 … LOG_DEBUG 3. */
  logLevel: number;
  /** Connection manager knobs (docs/connection-manager.md), e.g. {"failBack": true}. */
  connection: any;
  /** Outbox options of the cloud session (maxCount, maxBytes, policy, persist). */
  outbox: any;
  /** Log `process.memory()` once the runtime started. */
  memoryReport: boolean;
}
