"""The Dispatch Job lifecycle: which status may follow which."""

STATUSES = ("Open", "Scheduled", "Assigned", "En Route", "On Site", "Completed", "Cancelled", "Blocked")

TRANSITIONS: dict[str, tuple[str, ...]] = {
	"Open": ("Scheduled", "Assigned", "Cancelled", "Blocked"),
	"Scheduled": ("Open", "Assigned", "Cancelled", "Blocked"),
	"Assigned": ("Open", "Scheduled", "En Route", "On Site", "Cancelled", "Blocked"),
	"En Route": ("Assigned", "On Site", "Cancelled", "Blocked"),
	"On Site": ("Completed", "Blocked", "Cancelled"),
	"Completed": (),
	"Cancelled": ("Open",),
	"Blocked": ("Open", "Scheduled", "Assigned", "Cancelled"),
}

#: Statuses that mean work on the job has started: its dependencies must be complete first.
STARTED = ("En Route", "On Site", "Completed")
#: Statuses after which a job needs nothing more.
FINISHED = ("Completed", "Cancelled")


class InvalidTransition(ValueError):
	pass


def check_transition(old: str | None, new: str) -> None:
	"""Raise InvalidTransition naming both statuses and what is allowed instead."""
	if new not in STATUSES:
		raise InvalidTransition(f'"{new}" is not a Dispatch Job status: expected one of {", ".join(STATUSES)}')
	if old is None or old == new:
		return
	allowed = TRANSITIONS.get(old, ())
	if new not in allowed:
		expected = ", ".join(allowed) if allowed else "nothing: it is final"
		raise InvalidTransition(f'a job cannot go from "{old}" to "{new}"; from "{old}" it can go to {expected}')
