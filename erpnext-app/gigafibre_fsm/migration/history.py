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
	"""The effects of newly inserted Communications ``messages`` on the documents they reference."""
	by_parent: dict[str, dict[str, list]] = {}
	for m in messages:
		if m.reference_doctype and m.reference_name:
			by_parent.setdefault(m.reference_doctype, {}).setdefault(m.reference_name, []).append(m)
	for doctype, parents in by_parent.items():
		meta = frappe.get_meta(doctype)
		if meta.issingle or meta.get("is_virtual"):
			continue
		add_comments(meta, parents)
		replied = [n for n, mine in parents.items() if any(m.communication_type != "Comment" for m in mine)]
		if replied:
			update_response_times(doctype, replied)


def add_comments(meta, parents: dict[str, list]) -> None:
	"""comment.update_comment_in_doc for every message, in order: each parent's `_comments`
	read once and written once (by SQL, so `modified` stays), its website route cache cleared."""
	names = [n for n, mine in parents.items() if any(m.content for m in mine)]
	if not names:
		return
	fields = ["name", "_comments"] + (["route"] if meta.has_field("route") else [])
	stored = {r.name: r for r in frappe.get_all(meta.name, filters={"name": ("in", names)}, fields=fields)}
	for name in names:
		row = stored.get(name) or frappe._dict()
		try:
			comments = json.loads(row.get("_comments") or "[]")
		except ValueError:
			comments = []
		known = {c.get("name") for c in comments}
		for m in parents[name]:
			if m.content and m.name not in known:
				comments.append({"comment": truncated(m.content), "by": m.sender or m.owner, "name": m.name})
		frappe.db.sql(
			f"update `tab{meta.name}` set `_comments`=%s where name=%s",  # nosec: a doctype name
			(json.dumps(comments[-100:]), name),
		)
		if row.get("route"):
			clear_cache(row.route)


def update_response_times(doctype: str, names: list[str]) -> None:
	"""First response and average response time from the messages' own dates, as
	update_first_response_time and set_avg_response_time compute them from `creation`."""
	meta = frappe.get_meta(doctype)
	fields = [
		f for f in ("first_responded_on", "first_response_time", "avg_response_time") if meta.has_field(f)
	]
	if not fields:
		return
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
	opened = opening_moments(doctype, names)
	timeline: dict[str, list] = {}
	for r in rows:
		timeline.setdefault(r.reference_name, []).append(r)
	for name, messages in timeline.items():
		values = response_values(messages, opened.get(name))
		values = {k: v for k, v in values.items() if k in fields}
		if values:
			frappe.db.set_value(doctype, name, values, update_modified=False)


def opening_moments(doctype: str, names: list[str]) -> dict:
	meta = frappe.get_meta(doctype)
	if not (meta.has_field("opening_date") and meta.has_field("opening_time")):
		return {}
	rows = frappe.get_all(
		doctype, filters={"name": ("in", names)}, fields=["name", "opening_date", "opening_time"]
	)
	return {
		r.name: get_datetime(f"{r.opening_date} {r.opening_time or '00:00:00'}")
		for r in rows
		if r.opening_date
	}


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
