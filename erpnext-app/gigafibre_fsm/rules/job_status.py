"""The Dispatch Job lifecycle: which status may follow which, for staff and for technicians.
The table is data (tables/job_status.json), shared with the TypeScript side."""

from gigafibre_fsm.tables import load

_TABLE = load("job_status")
STATUSES: tuple[str, ...] = tuple(_TABLE["statuses"])
TRANSITIONS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _TABLE["transitions"].items()}
#: What a technician may do to their own job: the field path, never cancel, reopen or schedule.
TECHNICIAN_TRANSITIONS: dict[str, tuple[str, ...]] = {
	k: tuple(v) for k, v in _TABLE["technician_transitions"].items()
}
#: Statuses that mean work on the job has started: its dependencies must be complete first.
STARTED: tuple[str, ...] = tuple(_TABLE["started"])
#: Statuses after which a job needs nothing more.
FINISHED: tuple[str, ...] = tuple(_TABLE["finished"])
#: Statuses the customer and the technician are told about by SMS.
NOTIFY: tuple[str, ...] = tuple(_TABLE["notify"])


class InvalidTransition(ValueError):
	pass


def check_transition(old: str | None, new: str, by_technician: bool = False) -> None:
	"""Raise InvalidTransition naming both statuses and what is allowed instead."""
	if new not in STATUSES:
		raise InvalidTransition(
			f'"{new}" is not a Dispatch Job status: expected one of {", ".join(STATUSES)}'
		)
	if old is None or old == new:
		return
	allowed = TRANSITIONS.get(old, ())
	if new not in allowed:
		expected = ", ".join(allowed) if allowed else "nothing: it is final"
		raise InvalidTransition(
			f'a job cannot go from "{old}" to "{new}"; from "{old}" it can go to {expected}'
		)
	mine = TECHNICIAN_TRANSITIONS.get(old, ())
	if by_technician and new not in mine:
		expected = ", ".join(mine) if mine else "nothing: a dispatcher changes it"
		raise InvalidTransition(
			f'a technician cannot take a job from "{old}" to "{new}"; from "{old}" a technician can go to {expected}'
		)
