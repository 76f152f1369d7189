"""What migrated messages do to their ticket, once per ticket per batch.

Saved one by one, each Communication's on_update would, on its Issue: append it to `_comments`
(the list view's comment count), reopen it if received, stamp `first_responded_on` and
`first_response_time` with the moment of the migration, and recompute `avg_response_time` from
the migration's timestamps (frappe.core.doctype.communication.communication; ERPNext's SLA hooks
do nothing for an Issue without an agreement). For history that is wrong twice over: the ticket's
status is the legacy system's, and the response times belong to the messages' own dates. So the
batch path writes, per Issue: `_comments` exactly as Frappe builds it (its own functions, in the
messages' order), and the response fields from `communication_date`; the status stays."""

import json

import frappe
from frappe.utils import get_datetime, time_diff_in_seconds
from frappe.website.utils import clear_cache


def truncated(content: str) -> str:
	return (content[:97] + "...") if len(content) > 100 else content


def apply(messages: list) -> None:
	"""The effects of newly inserted Communications ``messages`` on the documents they reference:
	per parent, one read of what it holds and one write of what changes."""
	by_parent: dict[str, dict[str, list]] = {}
	for m in messages:
		if m.reference_doctype and m.reference_name:
			by_parent.setdefault(m.reference_doctype, {}).setdefault(m.reference_name, []).append(m)
	for doctype, parents in by_parent.items():
		meta = frappe.get_meta(doctype)
		if not (meta.issingle or meta.get("is_virtual")):
			apply_to(meta, parents)


def apply_to(meta, parents: dict[str, list]) -> None:
	names = list(parents)
	times = [
		f for f in ("first_responded_on", "first_response_time", "avg_response_time") if meta.has_field(f)
	]
	opening = meta.has_field("opening_date") and meta.has_field("opening_time")
	fields = ["name", "_comments"] + (["route"] if meta.has_field("route") else [])
	fields += ["opening_date", "opening_time"] if opening else []
	stored = {r.name: r for r in frappe.get_all(meta.name, filters={"name": ("in", names)}, fields=fields)}
	timeline = message_timeline(meta.name, names) if times else {}
	changes: dict[str, dict] = {}
	for name, mine in parents.items():
		row = stored.get(name) or frappe._dict()
		values = {}
		comments = with_comments(row.get("_comments"), mine)
		if comments is not None:
			values["_comments"] = json.dumps(comments[-100:])
		if times and any(m.communication_type != "Comment" for m in mine):
			opened = (
				get_datetime(f"{row.opening_date} {row.opening_time or '00:00:00'}")
				if opening and row.get("opening_date")
				else None
			)
			values.update(
				{k: v for k, v in response_values(timeline.get(name, []), opened).items() if k in times}
			)
		if values:
			changes[name] = values
		if row.get("route") and comments is not None:
			clear_cache(row.route)
	write(meta.name, changes)


def write(doctype: str, changes: dict[str, dict]) -> None:
	"""One UPDATE for every parent of the batch (a batch's messages may belong to as many tickets
	as messages: a statement each was a round trip and a parse each). By SQL, as Frappe writes
	`_comments`: the parents' `modified` stays. Each column is set only on the parents that
	change it; the others keep theirs (the CASE's ELSE, which also gives PostgreSQL the column's
	type for the values)."""
	if not changes:
		return
	columns: dict[str, list] = {}
	for name, values in changes.items():
		for column, value in values.items():
			columns.setdefault(column, []).append((name, value))
	sets, params = [], []
	for column, pairs in columns.items():
		sets.append(
			f"`{column}` = case `name` {' '.join(['when %s then %s'] * len(pairs))} else `{column}` end"
		)
		params += [v for pair in pairs for v in pair]
	names = list(changes)
	frappe.db.sql(
		f"update `tab{doctype}` set {', '.join(sets)} where `name` in ({', '.join(['%s'] * len(names))})",  # nosec: field and doctype names
		(*params, *names),
	)


def with_comments(stored: str | None, messages: list) -> list | None:
	"""comment.update_comment_in_doc for every message, in order; None when none adds one."""
	if not any(m.content for m in messages):
		return None
	try:
		comments = json.loads(stored or "[]")
	except ValueError:
		comments = []
	known = {c.get("name") for c in comments}
	for m in messages:
		if m.content and m.name not in known:
			comments.append({"comment": truncated(m.content), "by": m.sender or m.owner, "name": m.name})
	return comments


def message_timeline(doctype: str, names: list[str]) -> dict[str, list]:
	"""Every message of these parents (the batch's and earlier ones), by date."""
	rows = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": doctype,
			"reference_name": ("in", names),
			"communication_type": "Communication",
		},
		fields=["reference_name", "sent_or_received", "communication_date"],
		order_by="communication_date asc, creation asc",
	)
	timeline: dict[str, list] = {}
	for r in rows:
		timeline.setdefault(r.reference_name, []).append(r)
	return timeline


def response_values(messages: list, opened) -> dict:
	"""``first_responded_on``, ``first_response_time`` (seconds from the opening) and
	``avg_response_time`` (mean of each reply's wait after the message it answers)."""
	values: dict = {}
	first = next((m for m in messages if m.sent_or_received == "Sent" and m.communication_date), None)
	if first:
		values["first_responded_on"] = first.communication_date
		if opened:
			values["first_response_time"] = max(
				0, round(time_diff_in_seconds(first.communication_date, opened), 2)
			)
	waits = [
		round(time_diff_in_seconds(b.communication_date, a.communication_date), 2)
		for a, b in zip(messages, messages[1:], strict=False)
		if a.sent_or_received == "Received"
		and b.sent_or_received == "Sent"
		and a.communication_date
		and b.communication_date
	]
	waits = [w for w in waits if w > 0]
	if waits:
		values["avg_response_time"] = sum(waits) / len(waits)
	return values
