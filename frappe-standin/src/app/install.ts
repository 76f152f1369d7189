import type { Site } from "../site/site.js";
import { appJson } from "./paths.js";

interface Template {
  event: string;
  recipient: string;
  language: string;
  body: string;
  enabled: number;
}

/** The app's `setup/install.py` for what the stand-in needs: the default SMS wording, once. */
export function installApp(site: Site): void {
  const ctx = { user: site.users.get("Administrator")!, ignorePermissions: true };
  site.transaction(() => {
    for (const t of appJson<Template[]>("setup", "sms_templates.json")) {
      if (!site.exists("FSM SMS Template", `${t.event}-${t.recipient}-${t.language}`))
        site.insert("FSM SMS Template", { ...t }, ctx);
    }
  });
}
