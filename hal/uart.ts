/**
 * A serial port. Data is carried as binary strings (one char per byte, codes 0–255), which is what
 * Espruino's Serial gives and takes.
 */
export interface Uart {
  /** Queues bytes for transmission. */
  write(data: string): void;
  /** Sets the receiver; `null` detaches it. Bytes arrive in chunks of any size. */
  onData(cb: ((data: string) => void) | null): void;
  /** Changes the baud rate (8N1). */
  setBaud(baud: number): void;
}
