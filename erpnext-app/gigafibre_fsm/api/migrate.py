"""The batch upsert `fsm migrate` and `fsm seed` write through: hundreds of rows per call, each
through the document layer (validation, naming, hooks), idempotent by legacy id, a bad row
reported while good rows commit. A dry run does all of it and rolls the call back, so its answers
are the real run's. The work is in gigafibre_fsm/migration."""

import json
import random
import time

import frappe
from frappe import _
from frappe.utils import cint, escape_html

import gigafibre_fsm
from gigafibre_fsm.exceptions import UpsertError
from gigafibre_fsm.migration.assumed import stand_in
from gigafibre_fsm.migration.collector import collector_paused
from gigafibre_fsm.migration.lookups import looked_up_once
from gigafibre_fsm.migration.quiet import migrating
from gigafibre_fsm.migration.rows import upsert_pending
from gigafibre_fsm.migration.templates import compiled_once
from gigafibre_fsm.migration.titles import set_link_title  # noqa: F401 (wraps Frappe's, see titles.py)
from gigafibre_fsm.tables import load

#: Doctypes a migration may write, the field holding the legacy id that makes it idempotent, the
#: largest batch and who may call it: tables/upsert.json, which the stand-in follows too.
TABLE = load("upsert")
KEYS: dict[str, str] = TABLE["keys"]
MAX_ROWS: int = TABLE["max_rows"]
#: Two batches inserting customers of the same name (ERPNext names them by customer name) can
#: deadlock; the loser's round is redone, then the client's retry takes over.
DEADLOCK_ATTEMPTS = 3
#: Batches in flight naming people alike each lose a name race at most once per rival batch.
NAME_RACE_ROUNDS = 10


@frappe.whitelist(methods=["GET"])
def info() -> dict:
	"""What a migration client checks before it writes anything: the app's version and batch
	upsert (its keys, its largest batch, dry runs) and the price limit in FSM Settings."""
	frappe.only_for(tuple(TABLE["roles"]))
	return {
		"app_version": gigafibre_fsm.__version__,
		"dry_run": True,
		"max_rows": MAX_ROWS,
		"keys": KEYS,
		"max_monthly_price": frappe.db.get_single_value("FSM Settings", "migration_max_monthly_price")
		or 1000,
		# Frappe refuses more new Users a minute than this ("Throttled"; site config throttle_user_limit).
		"user_creation_limit": frappe.local.conf.get("throttle_user_limit", 60),
	}


@frappe.whitelist(methods=["POST"])
def upsert(
	doctype: str,
	rows: list | str,
	key: str | None = None,
	dry_run: bool | int | str = False,
	assume: dict | str | None = None,
) -> dict:
	"""``{"results": [{"index", "name", "action": "inserted" | "updated" | "unchanged"} | {"index", "error", "exc_type"}]}``

	``dry_run``: every row as above, then the whole call rolled back. ``assume`` ({doctype: [names]})
	names documents the rows link to that a dry run of earlier tables would have written: they stand
	in, inside the rolled-back transaction, so the rows are checked as the real run checks them."""
	frappe.only_for(tuple(TABLE["roles"]))
	if isinstance(rows, str):
		rows = json.loads(rows)
	dry_run = dry_run if isinstance(dry_run, bool) else cint(dry_run) == 1
	key = key or KEYS.get(doctype)
	if doctype not in KEYS:
		frappe.throw(
			_("{0} cannot be migrated in batches: expected one of {1}").format(
				escape_html(doctype), ", ".join(KEYS)
			),
			UpsertError,
		)
	if not key:
		frappe.throw(
			_("{0} has no legacy id: pass the key field that identifies a row").format(escape_html(doctype)),
			UpsertError,
		)
	if not isinstance(rows, list) or len(rows) > MAX_ROWS:
		frappe.throw(_("rows must be a list of at most {0} objects").format(MAX_ROWS), UpsertError)
	with migrating(), compiled_once(), looked_up_once(), collector_paused():
		return {"results": upsert_rows(doctype, key, rows, dry_run, assume)}


def upsert_rows(doctype: str, key: str, rows: list, dry_run: bool, assume) -> list:
	results: list[dict | None] = [None] * len(rows)
	pending = refuse_repeated_keys(key, rows, results)
	if dry_run:
		assumed = json.loads(assume) if isinstance(assume, str) else assume or {}
		upsert_round(doctype, key, rows, pending, results, before=lambda: stand_in(assumed))
		frappe.db.rollback()
		return results
	# A test's records live in its transaction until the test rolls them back: no commit there.
	commit_names = not frappe.flags.in_test
	for round_ in range(NAME_RACE_ROUNDS):
		raced = upsert_round(doctype, key, rows, pending, results, commit_names=commit_names)
		if not raced or round_ == NAME_RACE_ROUNDS - 1:
			break
		# Another batch in flight took the name ERPNext chose ("Marie Tremblay - 1"): this
		# transaction's snapshot cannot see it, so keep what is done and name those rows again
		# in a new transaction, which sees every name committed meanwhile.
		frappe.db.commit()
		time.sleep(random.uniform(0.01, 0.05))
		pending = raced
	return results


def refuse_repeated_keys(key: str, rows: list, results: list) -> list[int]:
	"""Two rows of one call with one key would become one document: the later ones are refused.
	Returns the rows left to upsert."""
	first: dict = {}
	for i, row in enumerate(rows):
		value = row.get(key) if isinstance(row, dict) else None
		if value is None or value == "":
			continue
		if value in first:
			results[i] = {
				"index": i,
				"key": value,
				"error": f"{key} {value} is also the key of row {first[value]} of this call: two rows are never merged into one document",
				"exc_type": "UpsertError",
			}
		else:
			first[value] = i
	return [i for i in range(len(rows)) if results[i] is None]


def upsert_round(
	doctype: str, key: str, rows: list, pending: list[int], results: list, before=None, commit_names=False
) -> list[int]:
	"""Upsert the rows at ``pending``, writing their results; returns the rows whose name was taken
	by another transaction. A deadlock rolls back the round (InnoDB undoes the whole transaction,
	savepoints included), which is then redone, ``before`` first."""
	for attempt in range(DEADLOCK_ATTEMPTS):
		try:
			if before:
				before()
			for i in pending:
				results[i] = None
			return upsert_pending(doctype, key, rows, pending, results, commit_names)
		except frappe.QueryDeadlockError:
			frappe.db.rollback()
			frappe.local.message_log = []
			if attempt == DEADLOCK_ATTEMPTS - 1:
				raise
			time.sleep(random.uniform(0.05, 0.25) * (attempt + 1))
	return []
