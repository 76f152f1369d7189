import { InvalidEmailAddress, normalizeEmail } from "@gigafibre/rules";
import { decode, STAFF_ROLE } from "./codes.js";
import { refuse, type Step } from "./types.js";

/** Every staff member a User, without the legacy MD5 passwords; technicians get the role. */
export const staffUser: Step = {
  name: "staff → User",
  table: "staff",
  doctype: "User",
  key: "email",
  keyOf: (r) => r.text("email")?.replace(/\s+/g, "").toLowerCase() ?? null,
  keyLabel: "e-mail address",
  kind: "staff_user",
  transform: (r, ctx) => {
    let email: string | null = null;
    let emailProblem: string | undefined;
    try {
      email = normalizeEmail(r.text("email"));
      if (!email) emailProblem = "no e-mail address (a User needs one)";
    } catch (e) {
      if (!(e instanceof InvalidEmailAddress)) throw e;
      emailProblem = e.message;
    }
    const role = decode(STAFF_ROLE, r.get("role"), ctx.aliases);
    const bad = refuse([emailProblem, role.problem]);
    if (bad) return bad;
    return {
      doc: {
        email,
        first_name: r.text("first_name") ?? r.text("username") ?? email,
        last_name: r.text("last_name"),
        enabled: r.get("active") ? 1 : 0,
        send_welcome_email: 0,
        roles: role.value === "Technician" ? [{ role: "Technician" }] : [],
      },
    };
  },
};

export const technician: Step = {
  name: "staff → Technician",
  table: "staff",
  doctype: "Technician",
  key: "user",
  kind: "staff",
  transform: (r, ctx) => {
    const role = decode(STAFF_ROLE, r.get("role"), ctx.aliases);
    if (role.problem) return { bad: role.problem };
    if (role.value !== "Technician") return { skip: "office staff: a User only" };
    const user = ctx.ref("staff_user", r.id);
    if (!user) return { bad: `user of staff ${r.id} not migrated (see staff → User)` };
    return {
      doc: {
        user,
        technician_name:
          [r.text("first_name"), r.text("last_name")].filter(Boolean).join(" ") || user,
        mobile: r.phone("cell"),
        status: r.get("active") ? "Active" : "Inactive",
      },
    };
  },
};
