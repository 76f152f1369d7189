import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, now_datetime, today

from gigafibre_fsm.exceptions import InvalidJobTransition, JobDependencyError
from gigafibre_fsm.field_service.doctype.dispatch_job.checklists import checklist_for
from gigafibre_fsm.permissions import check_technician_changes, technician_is_acting
from gigafibre_fsm.rules import chain, job_status


class DispatchJob(Document):
	def validate(self):
		check_technician_changes(self)
		self.set_default_schedule()
		self.seed_checklist()
		self.track_migrated_status()
		self.validate_status_transition()
		self.validate_dependencies()
		self.stamp_actual_times()

	def on_update(self):
		if self.flags.fsm_migration:
			return
		if self.has_value_changed("status") and self.status == "Completed":
			from gigafibre_fsm.field_service.doctype.dispatch_job import completion

			completion.on_job_completed(self)

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

	def stamp_actual_times(self):
		if self.flags.fsm_migration:
			return
		if self.status in ("En Route", "On Site") and not self.actual_start:
			self.actual_start = now_datetime()
		if self.status == "Completed" and not self.actual_end:
			self.actual_end = now_datetime()
			self.actual_start = self.actual_start or self.actual_end
