// Mirror of erpnext-app/gigafibre_fsm/setup/install.py
import type { Site } from "../../site/site.js";
import { tables } from "@gigafibre/rules";

/** The app's `setup/install.py` for what the stand-in needs: the default SMS wording, once. */
export function installApp(site: Site): void {
  const ctx = { user: site.users.get("Administrator")!, ignorePermissions: true };
  site.transaction(() => {
    for (const t of tables.smsTemplates) {
      if (!site.exists("FSM SMS Template", `${t.event}-${t.recipient}-${t.language}`))
        site.insert("FSM SMS Template", { ...t }, ctx);
    }
  });
}
