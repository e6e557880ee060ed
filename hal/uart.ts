/**
 * A serial port. Data is carried as binary strings (one char per byte, codes 0–255), which is what
 * Espruino's Serial gives and takes.
 */
export interface Uart {
  /** Queues bytes for transmission. */
  write(data: string): void;
  /**
   * Sets the receiver, called with `thisArg` as `this` (a driver passes its method and itself, no bound
   * copy); `null` detaches it. Bytes arrive in chunks of any size.
   */
  onData(cb: ((data: string) => void) | null, thisArg?: any): void;
  /** Changes the baud rate (8N1). */
  setBaud(baud: number): void;
}
