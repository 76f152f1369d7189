/**
 * What a replica modem shows once logged in, per dialect, in the shapes its page's functions
 * resolve: the XX230v's `{success, data}` answers to `gl DEV2_*` reads, the Deco's LuCI
 * `{error_code, result}` answers (names base64, as Deco firmware sends them). Tests change it.
 */
export interface Xx230vState {
  DEV2_DEV_INFO: Record<string, unknown>;
  DEV2_ADT_WAN: Record<string, unknown>[];
  DEV2_GPON_OPTICAL: Record<string, unknown>;
  DEV2_WIFI_SSID: Record<string, unknown>[];
  DEV2_HOST_ENTRY: Record<string, unknown>[];
}

export interface DecoState {
  "admin/device?form=device_list": { device_list: Record<string, unknown>[] };
  "admin/client?form=client_list": { client_list: Record<string, unknown>[] };
  "admin/network?form=wan_ipv4": { wan: Record<string, unknown>; lan: Record<string, unknown> };
  "admin/wireless?form=wlan": Record<string, Record<string, Record<string, unknown>>>;
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

export function xx230vState(): Xx230vState {
  return {
    DEV2_DEV_INFO: {
      modelName: "XX230v",
      softwareVersion: "1.2.3 Build 20260310 Rel.51003",
      hardwareVersion: "XX230v v1.0",
      serialNumber: "22345ABCDE",
      upTime: 172_800,
    },
    DEV2_ADT_WAN: [
      {
        name: "tr069_ipoe_3_1",
        stack: "3,1,0,0,0,0",
        connType: "IPoE",
        serviceList: "TR069",
        enable: "1",
        connStatusV4: "Connected",
        connIPv4Address: "10.45.0.12",
      },
      {
        name: "pppoe_gpon_3_3",
        stack: "3,3,0,0,0,0",
        connType: "PPPoE",
        serviceList: "INTERNET",
        enable: "1",
        connStatusV4: "Connected",
        connIPv4Address: "203.0.113.45",
        username: "client123@gigafibre",
        password: "ppp-secret-1234",
      },
    ],
    DEV2_GPON_OPTICAL: { rxPower: "-21.47", txPower: "2.06", temperature: "48", status: "O5" },
    DEV2_WIFI_SSID: [
      {
        radio: "2.4G main",
        band: "2.4GHz",
        ssid: "Tremblay",
        enable: "1",
        channel: "6",
        clients: "4",
        wpaPsk: "wifi-secret-5678",
      },
      {
        radio: "5G main",
        band: "5GHz",
        ssid: "Tremblay-5G",
        enable: "1",
        channel: "44",
        clients: "7",
        wpaPsk: "wifi-secret-5678",
      },
    ],
    DEV2_HOST_ENTRY: [
      {
        hostName: "iPhone-de-Julie",
        IPAddress: "192.168.1.101",
        MACAddress: "aa-bb-cc-11-22-33",
        interfaceType: "Wi-Fi",
        active: "1",
      },
      {
        hostName: "desktop",
        IPAddress: "192.168.1.20",
        MACAddress: "aa-bb-cc-11-22-44",
        interfaceType: "Ethernet",
        active: "1",
      },
    ],
  };
}

export function decoState(): DecoState {
  const main = "A8-42-A1-00-00-01";
  const upstairs = "A8-42-A1-00-00-02";
  const basement = "A8-42-A1-00-00-03";
  return {
    "admin/device?form=device_list": {
      device_list: [
        {
          mac: main,
          nickname: "living_room",
          custom_nickname: b64("Salon"),
          role: "master",
          group_status: "connected",
          inet_status: "online",
          device_model: "XE75",
          device_ip: "192.168.68.1",
          software_ver: "1.1.6 Build 20250912 Rel. 50764",
          hardware_ver: "2.0",
          connection_type: ["wired"],
        },
        {
          mac: upstairs,
          nickname: "bedroom",
          custom_nickname: b64("Étage"),
          role: "slave",
          group_status: "connected",
          inet_status: "online",
          device_model: "XE75",
          device_ip: "192.168.68.2",
          connection_type: ["band6"],
          previous: main,
        },
        {
          mac: basement,
          nickname: "basement",
          role: "slave",
          group_status: "disconnected",
          inet_status: "offline",
          device_model: "XE75",
          connection_type: [],
          previous: main,
        },
      ],
    },
    "admin/client?form=client_list": {
      client_list: [
        {
          mac: "AA-BB-CC-11-22-33",
          name: b64("iPhone de Julie"),
          ip: "192.168.68.101",
          online: true,
          connection_type: "band5",
          interface: "main",
          access_host: upstairs,
        },
        {
          mac: "AA-BB-CC-11-22-55",
          name: b64("Télé"),
          ip: "192.168.68.110",
          online: true,
          connection_type: "band2_4",
          interface: "main",
          access_host: main,
        },
        {
          mac: "AA-BB-CC-11-22-66",
          name: b64("NAS"),
          ip: "192.168.68.2",
          online: true,
          connection_type: "wired",
          wire_type: "wired",
          interface: "main",
          access_host: main,
        },
      ],
    },
    "admin/network?form=wan_ipv4": {
      wan: {
        dial_type: "pppoe",
        ip_info: { ip: "203.0.113.77", mac: "A8-42-A1-00-00-01", gateway: "203.0.113.1" },
      },
      lan: { ip_info: { ip: "192.168.68.1", mac: "A8-42-A1-00-00-01" } },
    },
    "admin/wireless?form=wlan": {
      band2_4: {
        host: { enable: true, ssid: b64("Gagnon"), password: b64("wifi-secret-9999") },
        guest: { enable: false, ssid: b64("Gagnon-Invités") },
      },
      band5_1: { host: { enable: true, ssid: b64("Gagnon"), password: b64("wifi-secret-9999") } },
    },
  };
}
