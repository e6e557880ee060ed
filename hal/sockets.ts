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

export interface NativeSockets {
  connect(host: string, port: number, h: NativeTcpHandlers): NativeTcp;
  /** A UDP socket bound to `port` (0 = any). */
  udp(port: number, h: NativeUdpHandlers): NativeUdp;
  /**
   * Optional: resolves a host name to an IPv4 address (`cb(null)` on failure), e.g. the ESP32's
   * `Wifi.getHostByName`. Without it, names are left to the stack's own resolver at connect time.
   */
  resolve?(host: string, cb: (ip: string | null) => void): void;
}
