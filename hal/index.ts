/** The HAL: the only door firmware code has to hardware and the runtime. */
export * from './clock';
export * from './spi';
export * from './uart';
export * from './gpio';
export * from './storage';
export * from './log';
export * from './wifi-radio';
export * from './sockets';
export * from './memory';
