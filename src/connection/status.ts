/**
 * Particle Device OS's values of the `network_status` and `cloud_status` system events
 * (system/inc/system_event.h), and the manager's own states.
 */

export const NETWORK_STATUS_POWERING_OFF = 2;
export const NETWORK_STATUS_OFF = 3;
export const NETWORK_STATUS_POWERING_ON = 4;
export const NETWORK_STATUS_ON = 5;
export const NETWORK_STATUS_CONNECTING = 6;
export const NETWORK_STATUS_CONNECTED = 7;
export const NETWORK_STATUS_DISCONNECTING = 10;
export const NETWORK_STATUS_DISCONNECTED = 11;

export const CLOUD_STATUS_DISCONNECTED = 0;
export const CLOUD_STATUS_CONNECTING = 1;
export const CLOUD_STATUS_CONNECTED = 8;
export const CLOUD_STATUS_DISCONNECTING = 9;

/** Manager states: the cloud is not wanted (or listening mode holds it). */
export const CM_IDLE = 0;
/** Wanted, but no usable interface is ready yet (the boot grace window lives here). */
export const CM_WAITING = 1;
/** Probing the ready interfaces before an attempt. */
export const CM_PROBING = 2;
/** A cloud connect is in progress. */
export const CM_CONNECTING = 3;
export const CM_CONNECTED = 4;
/** Waiting before the next round after failures. */
export const CM_BACKOFF = 5;
/** Connected; a voluntary move (fail-back) is under way. */
export const CM_MOVING = 6;
/** The manager states' names, in CM_* order (nameAt(CM_STATES, st)). */
export var CM_STATES = 'idle,waiting,probing,connecting,connected,backoff,moving';
