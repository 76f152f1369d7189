"""Who may take a job: an active technician who holds the skills the job requires, within their
working hours. The dispatch board, the form and the API refuse the same assignments through this
one rule (the TypeScript side runs the same vectors: fixtures/vectors/assignment.json)."""

import re


class AssignmentRefused(ValueError):
	pass


TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?(?::\d{2}(?:\.\d+)?)?", re.ASCII)


def minutes_of(value) -> int | None:
	"""Minutes after midnight of "8:00", "08:00:00" or "08:00:00.000000"; None when empty."""
	if value is None or str(value).strip() == "":
		return None
	match = TIME.fullmatch(str(value).strip())
	hours, mins = (int(match[1]), int(match[2] or 0)) if match else (99, 99)
	if hours > 24 or mins >= 60:
		raise AssignmentRefused(f'"{value}" is not a time of day such as 08:00')
	return hours * 60 + mins


def clock(minutes: int) -> str:
	return f"{minutes // 60:02d}:{minutes % 60:02d}"


def missing_skills(required: list[dict], held: dict[str, int]) -> list[str]:
	"""Each required skill the technician lacks, or holds below the level asked, in words."""
	out = []
	for skill in required:
		tag, level = skill["tag"], int(skill.get("level") or 0)
		if tag not in held:
			out.append(f"{tag} (level {level})" if level else tag)
		elif int(held[tag] or 0) < level:
			out.append(f"{tag} (level {level}, has {int(held[tag] or 0)})")
	return out


def check_assignment(job: dict, technician: dict) -> None:
	"""Raise AssignmentRefused saying every reason why ``technician`` cannot take ``job``.

	job: name, start ("HH:MM", optional), duration_minutes, required_skills [{tag, level}].
	technician: name, status, skills {tag: level}, work_start / work_end ("HH:MM", optional: no
	hours set means no limit)."""
	who = technician["name"]
	if technician.get("status") == "Inactive":
		raise AssignmentRefused(f"{who} is inactive: assign an active technician")
	reasons = []
	lacking = missing_skills(job.get("required_skills") or [], technician.get("skills") or {})
	if lacking:
		reasons.append(f"{who} lacks the skills {job['name']} requires: {', '.join(lacking)}")
	start = minutes_of(job.get("start"))
	work_start, work_end = minutes_of(technician.get("work_start")), minutes_of(technician.get("work_end"))
	if start is not None and work_start is not None and work_end is not None:
		end = start + max(int(job.get("duration_minutes") or 0), 0)
		if start < work_start or end > work_end:
			reasons.append(
				f"{job['name']} ({clock(start)} to {clock(end)}) falls outside {who}'s working hours"
				f" ({clock(work_start)} to {clock(work_end)})"
			)
	if reasons:
		raise AssignmentRefused("; ".join(reasons))
