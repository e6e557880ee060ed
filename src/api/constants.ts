/** Constants of the Particle-style API (values as in Particle Device OS where it has them). */
export {
  NETWORK_STATUS_POWERING_OFF, NETWORK_STATUS_OFF, NETWORK_STATUS_POWERING_ON, NETWORK_STATUS_ON,
  NETWORK_STATUS_CONNECTING, NETWORK_STATUS_CONNECTED, NETWORK_STATUS_DISCONNECTING, NETWORK_STATUS_DISCONNECTED,
  CLOUD_STATUS_DISCONNECTED, CLOUD_STATUS_CONNECTING, CLOUD_STATUS_CONNECTED, CLOUD_STATUS_DISCONNECTING
} from '../connection/status';

/** System modes (SYSTEM_MODE): connect at boot / only after Particle.connect() / leave it to the sketch. */
export const AUTOMATIC = 0;
export const SEMI_AUTOMATIC = 1;
export const MANUAL = 2;
/** The modes' names, by value (nameAt(MODES, mode)). */
export var MODES = 'AUTOMATIC,SEMI_AUTOMATIC,MANUAL';

/** System.enableFeature(FEATURE_ETHERNET_DETECTION): bring up Ethernet (W5500) when present. Stored. */
export const FEATURE_ETHERNET_DETECTION = 1;

/** Address sources of a NetworkInterfaceConfig. */
export const CONFIG_SOURCE_NONE = 0;
export const CONFIG_SOURCE_DHCP = 1;
export const CONFIG_SOURCE_STATIC = 2;
/** Particle's enum class spelling: NetworkInterfaceConfigSource.STATIC. */
export var NetworkInterfaceConfigSource = { NONE: 0, DHCP: 1, STATIC: 2 };

/** Events System.on accepts ("all_events" subscribes to every one), comma-separated (util/names.ts). */
export var SYSTEM_EVENT_LIST = 'network_status,cloud_status,interface_status,cloud_interface_changed,setup_begin,setup_end,' +
  'network_reset,probe,network_credentials,loop_error,low_memory';

/** Argument of the network_credentials event. */
export const NETWORK_CREDENTIALS_ADDED = 1;
export const NETWORK_CREDENTIALS_CLEARED = 2;
