import type { Step } from "./types.js";

/** One OLT per distinct name; disabled until someone sets its management IP. */
export const olt: Step = {
  name: "fibre → OLT",
  table: "fibre",
  doctype: "OLT",
  key: "olt_name",
  kind: "olt",
  query:
    "SELECT MIN(id) AS id, olt_name FROM fibre WHERE olt_name IS NOT NULL AND olt_name != '' GROUP BY olt_name",
  legacyId: (r) => String(r.text("olt_name")),
  transform: (r) => {
    const name = r.text("olt_name");
    if (!name) return { bad: "no OLT name" };
    return {
      doc: {
        olt_name: name,
        vendor: /HUAWEI/i.test(name) ? "Huawei" : "Generic",
        management_ip: "unknown (set after migration)",
        enabled: 0,
      },
    };
  },
};
