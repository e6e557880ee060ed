/**
 * The interpreter's variable pool: how full it is, and a warning when it runs low. On Espruino low memory
 * is no exception: it is a flag the interpreter sets ("LOW_MEMORY": the pool ran empty and a garbage
 * collection had to free room; "MEMORY": an allocation failed and the running code was stopped).
 */
export interface Memory {
  /** Blocks in use and the pool's size (may garbage-collect first), as Espruino's process.memory() says. */
  usage(): { usage: number; total: number };
  /** Calls `cb(flags)` each time memory is reported low; flags are the interpreter's, e.g. ["LOW_MEMORY"]. */
  onLow(cb: (flags: string[]) => void): void;
}
