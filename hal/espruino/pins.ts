/**
 * A pin as Espruino takes it: a `Pin` object (`D18`) or the GPIO number (18). Board pin maps use numbers
 * so that they load on a build where the `Dn` globals are missing.
 */
export type PinLike = Pin | number;
