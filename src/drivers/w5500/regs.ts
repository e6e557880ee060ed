/**
 * WIZnet W5500 register map and constants (W5500 datasheet v1.1, shared/CHIPS.md §1).
 * Names follow the datasheet; socket registers are offsets inside a socket's register block.
 */

/** Control byte: RWB bit (1 = write), OM = 00 (VDM, variable length, CS framed). */
export const CTL_WRITE = 0x04;

/** Block select: common registers. */
export const BSB_COMMON = 0;
/** Block select of socket n's register block: 4n+1. */
export function bsbReg(n: number): number {
  return (n << 2) + 1;
}
/** Block select of socket n's TX buffer: 4n+2. */
export function bsbTx(n: number): number {
  return (n << 2) + 2;
}
/** Block select of socket n's RX buffer: 4n+3. */
export function bsbRx(n: number): number {
  return (n << 2) + 3;
}

// ---- Common registers (BSB 0) ----
/** MR: mode; bit7 RST (soft reset, self-clearing). */
export const MR = 0x0000;
export const MR_RST = 0x80;
/** GAR: gateway address (4). */
export const GAR = 0x0001;
/** SUBR: subnet mask (4). */
export const SUBR = 0x0005;
/** SHAR: source hardware (MAC) address (6). */
export const SHAR = 0x0009;
/** SIPR: source IP address (4). */
export const SIPR = 0x000f;
/** IR: interrupt (CONFLICT 0x80, UNREACH 0x40, PPPoE 0x20, MP 0x10); write 1 to clear. */
export const IR = 0x0015;
/** SIR: socket interrupt; bit n set while Sn_IR != 0. */
export const SIR = 0x0017;
/** SIMR: socket interrupt mask (drives INTn). */
export const SIMR = 0x0018;
/** RTR: retry time (2), unit 100 µs. */
export const RTR = 0x0019;
/** RCR: retry count. */
export const RCR = 0x001b;
/** PHYCFGR: PHY configuration; bit0 LNK (1 = link up). */
export const PHYCFGR = 0x002e;
export const PHY_LNK = 0x01;
/** VERSIONR: chip version, 0x04 on a W5500. */
export const VERSIONR = 0x0039;
export const W5500_VERSION = 0x04;

// ---- Socket registers (BSB 4n+1) ----
/** Sn_MR: mode; bits3..0 protocol. */
export const SN_MR = 0x00;
export const SN_MR_TCP = 0x01;
export const SN_MR_UDP = 0x02;
/** Sn_MR bit5 ND: no delayed ACK (TCP). */
export const SN_MR_ND = 0x20;
/** Sn_CR: command; the chip clears it to 0 once accepted. */
export const SN_CR = 0x01;
/** Sn_IR: socket interrupt; write 1 to clear. */
export const SN_IR = 0x02;
/** Sn_SR: socket status (read-only). */
export const SN_SR = 0x03;
/** Sn_PORT: local port (2). */
export const SN_PORT = 0x04;
/** Sn_DIPR: destination IP (4), followed by Sn_DPORT (2) at 0x10. */
export const SN_DIPR = 0x0c;
/** Sn_DPORT: destination port (2). */
export const SN_DPORT = 0x10;
/** Sn_RXBUF_SIZE: RX buffer size in KB. */
export const SN_RXBUF_SIZE = 0x1e;
/** Sn_TXBUF_SIZE: TX buffer size in KB. */
export const SN_TXBUF_SIZE = 0x1f;
/** Sn_TX_FSR: free TX bytes (2). */
export const SN_TX_FSR = 0x20;
/** Sn_TX_WR: TX write pointer (2), host advances it. */
export const SN_TX_WR = 0x24;
/** Sn_RX_RSR: received bytes (2). */
export const SN_RX_RSR = 0x26;
/** Sn_RX_RD: RX read pointer (2), host advances it. */
export const SN_RX_RD = 0x28;

// ---- Sn_CR commands ----
export const CMD_OPEN = 0x01;
export const CMD_CONNECT = 0x04;
export const CMD_DISCON = 0x08;
export const CMD_CLOSE = 0x10;
export const CMD_SEND = 0x20;
export const CMD_RECV = 0x40;

// ---- Sn_IR bits ----
export const IR_CON = 0x01;
export const IR_DISCON = 0x02;
export const IR_RECV = 0x04;
export const IR_TIMEOUT = 0x08;
export const IR_SEND_OK = 0x10;

// ---- Sn_SR values ----
export const SR_CLOSED = 0x00;
export const SR_INIT = 0x13;
export const SR_SYNSENT = 0x15;
export const SR_ESTABLISHED = 0x17;
export const SR_FIN_WAIT = 0x18;
export const SR_CLOSING = 0x1a;
export const SR_TIME_WAIT = 0x1b;
export const SR_CLOSE_WAIT = 0x1c;
export const SR_LAST_ACK = 0x1d;
export const SR_UDP = 0x22;

/** Number of hardware sockets. */
export const SOCKETS = 8;
/** UDP RX header: peer IP (4), peer port (2), length (2). */
export const UDP_HDR = 8;
