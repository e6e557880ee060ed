/** One GPIO pin. */
export interface GpioPin {
  /** Drives the pin as an output. */
  write(high: boolean): void;
  /** Reads the pin level. */
  read(): boolean;
  /**
   * Calls `cb` with the new level on every edge of the given kind until the returned function is called.
   * `debounceMs` filters bounces (0 = none).
   */
  watch(cb: (high: boolean) => void, edge: 'rising' | 'falling' | 'both', debounceMs: number): () => void;
}
