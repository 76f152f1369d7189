"""The checklist a new job starts with, per job type (staff tick it off in the form).

The lists live in checklists.json, which the Frappe stand-in reads too."""

import json
from pathlib import Path

CHECKLISTS: dict[str, list[str]] = json.loads(Path(__file__).with_name("checklists.json").read_text(encoding="utf8"))


def checklist_for(job_type: str) -> list[dict]:
	return [{"task": task, "done": 0} for task in CHECKLISTS.get(job_type, ())]
