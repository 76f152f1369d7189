import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, get_timedelta, now_datetime, today

from gigafibre_fsm.exceptions import AssignmentRefused, InvalidJobTransition, JobDependencyError
from gigafibre_fsm.field_service.doctype.dispatch_job.checklists import checklist_for
from gigafibre_fsm.permissions import check_technician_changes, technician_is_acting
from gigafibre_fsm.rules import assignment, chain, job_status
from gigafibre_fsm.stock import postings


class DispatchJob(Document):
	def validate(self):
		check_technician_changes(self)
		self.clear_stamped_start()
		self.set_default_schedule()
		self.seed_checklist()
		self.track_migrated_status()
		self.validate_status_transition()
		self.validate_dependencies()
		self.validate_assignment()
		self.check_stock_moves()
		self.stamp_actual_times()

	def on_update(self):
		if self.flags.fsm_migration:
			return
		if not self.has_value_changed("status"):
			return
		from gigafibre_fsm.field_service.doctype.dispatch_job import completion

		if self.status == "Completed":
			completion.on_job_completed(self)
		elif self.reopened():
			completion.on_job_reopened(self)

	def reopened(self) -> bool:
		before = self.get_doc_before_save()
		return bool(before) and before.status == "Completed" and self.status != "Completed"

	def clear_stamped_start(self):
		"""Frappe gives a new document's Time fields the moment it is created, microseconds and all,
		when the request gives none (create_new.set_dynamic_default_values): a job saved over REST
		without a start would start "now" and tell the customer so. A start nobody gave is none."""
		if self.is_new() and self.scheduled_start:
			given = get_timedelta(self.scheduled_start)
			if given is not None and given.microseconds:
				self.scheduled_start = None

	def set_default_schedule(self):
		# A job without a date vanished from the dispatch board: it is due today unless told otherwise.
		# Migrated history keeps what the legacy system knew: no date stays no date.
		if not self.scheduled_date and not self.flags.fsm_migration:
			self.scheduled_date = today()

	def seed_checklist(self):
		if self.is_new() and not self.checklist:
			for row in checklist_for(self.job_type):
				self.append("checklist", row)

	def track_migrated_status(self):
		# A migrated status is history: the workers notify nobody of it (it came by the legacy
		# system). The first status change made here is live, and notified.
		if self.flags.fsm_migration:
			self.migrated_status = self.status
		elif self.migrated_status and self.has_value_changed("status"):
			self.migrated_status = None

	def validate_status_transition(self):
		if self.flags.fsm_migration:
			# Until cutover the legacy system is the record: its status is mirrored, not replayed.
			return
		before = self.get_doc_before_save()
		try:
			job_status.check_transition(
				before.status if before else None, self.status, by_technician=technician_is_acting(self)
			)
		except job_status.InvalidTransition as e:
			frappe.throw(escape_html(str(e)), InvalidJobTransition, title=_("Status change not allowed"))

	def validate_dependencies(self):
		deps = [row.job for row in self.depends_on]
		if self.name in deps:
			frappe.throw(_("Job {0} cannot depend on itself").format(self.name), JobDependencyError)
		jobs = self.dependency_statuses(deps)
		me = {"name": self.name, "status": self.status, "depends_on": deps}
		waiting = chain.unfinished_dependencies(me, jobs)
		if waiting and self.status in ("Open", "Scheduled", "Assigned") and self.is_new():
			self.status = "Blocked"
			return
		try:
			chain.check_can_start(me, jobs)
		except chain.DependencyNotComplete as e:
			frappe.throw(escape_html(str(e)), JobDependencyError, title=_("Waiting for other jobs"))

	@staticmethod
	def dependency_statuses(names: list[str]) -> dict[str, dict]:
		if not names:
			return {}
		rows = frappe.get_all("Dispatch Job", filters={"name": ("in", names)}, fields=["name", "status"])
		return {r.name: {"name": r.name, "status": r.status} for r in rows}

	def validate_assignment(self):
		"""Skills and working hours, judged by the same rule as the dispatch board, whenever the
		technician, the time or the required skills change (old jobs are not judged again)."""
		if self.flags.fsm_migration or not self.technician or self.status in job_status.FINISHED:
			return
		before = self.get_doc_before_save()
		if before and not self.assignment_changed(before):
			return
		try:
			assignment.check_assignment(self.assignment_job(), technician_facts(self.technician))
		except assignment.AssignmentRefused as e:
			frappe.throw(escape_html(str(e)), AssignmentRefused, title=_("Assignment not allowed"))

	def assignment_changed(self, before) -> bool:
		if before.status in job_status.FINISHED and self.status not in job_status.FINISHED:
			return True  # reopened
		for field in ("technician", "scheduled_start", "duration_minutes"):
			if str(before.get(field) or "") != str(self.get(field) or ""):
				return True
		return sorted(r.tag for r in before.tags) != sorted(r.tag for r in self.tags)

	def assignment_job(self) -> dict:
		tags = [r.tag for r in self.tags]
		required = (
			frappe.get_all(
				"Dispatch Tag",
				filters={"name": ("in", tags), "kind": "Skill", "required": 1},
				fields=["name as tag", "level"],
			)
			if tags
			else []
		)
		return {
			"name": self.name or _("this job"),
			"start": str(self.scheduled_start) if self.scheduled_start else None,
			"duration_minutes": self.duration_minutes or 0,
			"required_skills": [{"tag": r.tag, "level": r.level or 0} for r in required],
		}

	def check_stock_moves(self):
		"""Refuse the completion (or the reopening) whose units are not where the books say, before
		anything is posted."""
		if self.flags.fsm_migration or not self.has_value_changed("status"):
			return
		if self.status == "Completed":
			postings.check_job(self)
		elif self.reopened():
			postings.check_reversal(self)

	def stamp_actual_times(self):
		if self.flags.fsm_migration:
			return
		if self.reopened():
			self.actual_end = None
		if self.status in ("En Route", "On Site") and not self.actual_start:
			self.actual_start = now_datetime()
		if self.status == "Completed" and not self.actual_end:
			self.actual_end = now_datetime()
			self.actual_start = self.actual_start or self.actual_end


def technician_facts(technician: str) -> dict:
	"""What the assignment rule needs to know of a technician."""
	row = frappe.db.get_value(
		"Technician", technician, ["name", "status", "work_start", "work_end"], as_dict=True
	)
	if not row:
		return {"name": technician}
	skills = frappe.get_all(
		"Technician Skill",
		filters={"parent": technician, "parenttype": "Technician"},
		fields=["tag", "level"],
	)
	return {
		"name": row.name,
		"status": row.status,
		"work_start": str(row.work_start) if row.work_start is not None else None,
		"work_end": str(row.work_end) if row.work_end is not None else None,
		"skills": {s.tag: s.level or 0 for s in skills},
	}
