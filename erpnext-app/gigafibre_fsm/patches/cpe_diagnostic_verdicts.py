"""CPE Diagnostic verdicts from the optical grading (OK / Warning / Critical / Unknown) to the
service verdict (OK / Degraded / Down / Unknown).

The old verdict graded the ONU's level alone: it moves to `optical_grade` unchanged, and the
verdict becomes what it can honestly say. A Warning or Critical level is Degraded, never Down:
the old grading never saw whether the link was up. Service Equipment.last_optical_grade keeps
the optical vocabulary (OK / Warning / Critical / Unknown), so the workspace's "Devices with
Critical Optical Level" card counts what it counted."""

import frappe

VERDICTS = {"OK": "OK", "Warning": "Degraded", "Critical": "Degraded", "Unknown": "Unknown"}


def execute():
	rows = frappe.get_all(
		"CPE Diagnostic",
		filters={"verdict": ("in", list(VERDICTS)), "optical_grade": ("is", "not set")},
		fields=["name", "verdict"],
		limit=0,
	)
	for row in rows:
		frappe.db.set_value(
			"CPE Diagnostic",
			row.name,
			{"optical_grade": row.verdict, "verdict": VERDICTS[row.verdict]},
			update_modified=False,
		)
