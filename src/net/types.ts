/**
 * The constants of the net/ contract: interface kinds, lifecycle states, failure reasons and socket
 * errors. Numbers in firmware (one numeric state per machine), names for logs and the API.
 */

/** Interface kinds (generic ids of DESIGN.md §5). */
export type IfKind = 'ethernet' | 'wifi' | 'cell';

/** Lifecycle states (DESIGN.md §4). */
export const IF_OFF = 0;
export const IF_POWERING_ON = 1;
export const IF_ON = 2;
export const IF_CONNECTING = 3;
export const IF_READY = 4;
export const IF_DISCONNECTING = 5;
export const IF_POWERING_OFF = 6;
export const IF_FAILED = 7;
/** The states' names, in IF_* order (util/names.ts: nameAt(IF_STATES, st)). */
export var IF_STATES = 'off,powering_on,on,connecting,ready,disconnecting,powering_off,failed';

/** Failure reasons, staged as impOS does (DESIGN.md §4). 0 = none. */
export const R_NONE = 0;
export const R_NO_HARDWARE = 1;
export const R_NO_LINK = 2;
export const R_NO_SIM = 3;
export const R_NO_REGISTRATION = 4;
export const R_REGISTRATION_DENIED = 5;
export const R_NO_IP = 6;
export const R_NO_DNS = 7;
export const R_DNS_FAILED = 8;
export const R_NO_SERVER = 9;
export const R_NOT_AUTHORISED = 10;
/** The reasons' names, in R_* order (nameAt(REASONS, r)). */
export var REASONS = 'none,no_hardware,no_link,no_sim,no_registration,registration_denied,no_ip,no_dns,dns_failed,no_server,not_authorised';

/** Socket error codes passed to `onClose` (0 = closed normally). */
export const E_OK = 0;
/** The peer refused the connection (RST to SYN, or "connection refused"). */
export const E_REFUSED = 1;
/** No answer in time (connect, send or DNS). */
export const E_TIMEOUT = 2;
/** The peer reset an established connection. */
export const E_RESET = 3;
/** The interface is not ready, or went down under the socket. */
export const E_NETDOWN = 4;
/** The host name could not be resolved. */
export const E_DNS = 5;
/** No free socket on the chip or modem. */
export const E_NO_SOCKET = 6;
/** Bad argument (port, size, host). */
export const E_INVALID = 7;
/** The chip or modem answered something unexpected, or nothing. */
export const E_DEVICE = 8;
/** The socket was closed locally. */
export const E_CLOSED = 9;
/** The socket errors' names, in E_* order (nameAt(SOCKET_ERRORS, e)). */
export var SOCKET_ERRORS = 'ok,refused,timeout,reset,netdown,dns,no_socket,invalid,device,closed';
