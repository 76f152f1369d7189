// Mirror of erpnext-app/gigafibre_fsm/field_service/doctype/fsm_settings/fsm_settings.py
import { tables } from "@gigafibre/rules";
import { FrappeException } from "../../../../site/errors.js";
import { escapeHtml } from "../../../../site/html.js";
import type { Controller, Site } from "../../../../site/site.js";
import type { Doc } from "../../../../site/store.js";

type AccountRule = (typeof tables.settingsAccounts.accounts)[number];

export const fsmSettings: Controller = {
  validate(doc, before, site) {
    if (doc.enable_stock && !before?.enable_stock)
      // Equipment stock is ERPNext's ledger: its tests run on a real site (docs/equipment-stock.md).
      throw new FrappeException(
        "NotImplementedError",
        "The stand-in does not model ERPNext's stock ledger: equipment stock needs a real site",
        501,
      );
    for (const rule of tables.settingsAccounts.accounts) {
      const account = doc[rule.field];
      if (account) checkAccount(site, doc, rule, String(account));
    }
  },
};

function checkAccount(site: Site, doc: Doc, rule: AccountRule, account: string): void {
  const label =
    site.def("FSM Settings").fields.find((f) => f.fieldname === rule.field)?.label ?? rule.field;
  const company = doc.company ? String(doc.company) : "";
  if (!company) refuse(`Set Company before ${label}: the account must belong to it`);
  if (!site.exists("Account", account)) return; // the Link field itself says so
  const row = site.load("Account", account);
  const name = escapeHtml(account);
  if (row.company !== company)
    refuse(
      `${label}: ${name} belongs to ${escapeHtml(String(row.company ?? ""))}, not to ${escapeHtml(company)}`,
    );
  if (Number(row.is_group))
    refuse(
      `${label}: ${name} is a group account: ERPNext posts only to the ledger accounts under it`,
    );
  if (Number(row.disabled)) refuse(`${label}: ${name} is disabled`);
  const rootType = row.root_type ? String(row.root_type) : "";
  const accountType = row.account_type ? String(row.account_type) : "";
  const wrongRoot = !(rule.root_types as readonly string[]).includes(rootType);
  const wrongType =
    rule.account_types.length > 0 &&
    !(rule.account_types as readonly string[]).includes(accountType);
  if (wrongRoot || wrongType)
    refuse(
      `${label}: ${name} is not ${rule.expected} (its root type is ${escapeHtml(rootType || "not set")}, its account type ${escapeHtml(accountType || "not set")})`,
    );
}

function refuse(message: string): never {
  throw new FrappeException("InvalidSettingsAccount", message, 417, {
    messages: [
      {
        message,
        title: "Invalid account in FSM Settings",
        indicator: "red",
        raise_exception: 1,
      },
    ],
  });
}
