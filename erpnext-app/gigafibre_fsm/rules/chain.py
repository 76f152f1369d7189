"""Job chains: a job waits for the jobs it depends on; the last job of a chain activates the service.

Jobs are plain dicts: ``{"name", "status", "depends_on": [names], "parent_job": name | None}``.
"""

from .job_status import FINISHED, STARTED


class DependencyNotComplete(ValueError):
	pass


def unfinished_dependencies(job: dict, jobs: dict[str, dict]) -> list[str]:
	"""Names of the jobs ``job`` depends on that are not Completed (a Cancelled one blocks too:
	the work it stood for was not done)."""
	return [dep for dep in job.get("depends_on") or [] if (jobs.get(dep) or {}).get("status") != "Completed"]


def check_can_start(job: dict, jobs: dict[str, dict]) -> None:
	if job.get("status") not in STARTED:
		return
	waiting = unfinished_dependencies(job, jobs)
	if waiting:
		raise DependencyNotComplete(
			f'job {job["name"]} cannot be "{job["status"]}" before {", ".join(waiting)} '
			f"{'is' if len(waiting) == 1 else 'are'} completed"
		)


def unblocked_by(completed: str, jobs: dict[str, dict]) -> list[str]:
	"""Blocked jobs that depend on ``completed`` and wait for nothing else once it is done."""
	after = {**jobs, completed: {**jobs[completed], "status": "Completed"}}
	return sorted(
		name
		for name, job in after.items()
		if job.get("status") == "Blocked"
		and completed in (job.get("depends_on") or [])
		and not unfinished_dependencies(job, after)
	)


def chain_members(name: str, jobs: dict[str, dict]) -> list[str]:
	"""Every job of the chain ``name`` belongs to: its root (following parent_job up) and all
	the root's descendants, plus jobs linked by dependencies."""
	root = name
	seen_up = {root}
	while (jobs.get(root) or {}).get("parent_job") and jobs[root]["parent_job"] not in seen_up:
		root = jobs[root]["parent_job"]
		seen_up.add(root)
	members, todo = set(), [root]
	while todo:
		current = todo.pop()
		if current in members or current not in jobs:
			continue
		members.add(current)
		todo += [n for n, j in jobs.items() if j.get("parent_job") == current]
		todo += [n for n, j in jobs.items() if current in (j.get("depends_on") or [])]
		todo += list(jobs[current].get("depends_on") or [])
	return sorted(members)


def completes_chain(completed: str, jobs: dict[str, dict]) -> bool:
	"""True when ``completed`` is the last job of its chain to finish, and the chain did real work."""
	after = {**jobs, completed: {**jobs[completed], "status": "Completed"}}
	members = chain_members(completed, after)
	return all(after[m]["status"] in FINISHED for m in members) and any(
		after[m]["status"] == "Completed" for m in members
	)
