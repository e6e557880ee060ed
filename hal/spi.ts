/**
 * SPI bus with one chip select. One `send` call is one chip-select window: CS goes low, every byte of
 * `data` is clocked out, CS goes high, and the bytes clocked in (MISO) are returned, as many as were sent.
 * This is Espruino's `spi.send(data, csPin)`.
 */
export interface Spi {
  send(data: Uint8Array): Uint8Array;
}
