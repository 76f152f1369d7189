"""The checklist a new job starts with, per job type (staff tick it off in the form).

The lists are the table tables/checklists.json, which the Frappe stand-in follows too."""

from gigafibre_fsm.tables import load


def checklist_for(job_type: str) -> list[dict]:
	return [{"task": task, "done": 0} for task in load("checklists").get(job_type, ())]
