/**
 * Native sockets: the runtime's own TCP/IP stack (Espruino's `net` and `dgram`, over the ESP32 Wi-Fi or
 * a Linux host's network). Data is binary strings. Host names are resolved by the stack.
 */
export interface NativeTcpHandlers {
  onConnect(): void;
  onData(data: string): void;
  /** The socket closed; `error` is a message when it closed on an error (refused, reset, timeout). */
  onClose(error: string | null): void;
  /** The write buffer drained. */
  onDrain(): void;
}

export interface NativeTcp {
  /** Writes bytes; false when the runtime's buffer is full (data still accepted and queued by the runtime). */
  write(data: string): boolean;
  /** Graceful close. */
  end(): void;
}

export interface NativeUdpHandlers {
  onMessage(data: string, address: string, port: number): void;
  onError(error: string): void;
}

export interface NativeUdp {
  send(data: string, address: string, port: number): void;
  close(): void;
}

/**
 * TLS settings for `connectTls` (Espruino's `tls.connect` options): PEM text, or the name of a Storage file
 * holding it. Without `ca` the server's certificate is not verified (encrypted, but open to a man in the middle).
 */
export interface NativeTlsOptions {
  /** CA certificate(s) the server's chain must lead to. */
  ca?: string;
  /** Client certificate and key, for brokers that authenticate devices by certificate. */
  cert?: string;
  key?: string;
}

export interface NativeSockets {
  connect(host: string, port: number, h: NativeTcpHandlers): NativeTcp;
  /**
   * Optional: a TLS client connection (Espruino's `require("tls").connect`), the same handlers and socket
   * as `connect`; `onConnect` follows the completed handshake, a failed handshake is a close with an error.
   * Absent where the runtime has no TLS.
   */
  connectTls?(host: string, port: number, h: NativeTcpHandlers, tls?: NativeTlsOptions): NativeTcp;
  /** A UDP socket bound to `port` (0 = any). */
  udp(port: number, h: NativeUdpHandlers): NativeUdp;
  /**
   * Optional: resolves a host name to an IPv4 address (`cb(null)` on failure), e.g. the ESP32's
   * `Wifi.getHostByName`. Without it, names are left to the stack's own resolver at connect time.
   */
  resolve?(host: string, cb: (ip: string | null) => void): void;
}
