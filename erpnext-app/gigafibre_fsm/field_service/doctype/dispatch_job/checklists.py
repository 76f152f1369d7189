"""The checklist a new job starts with, per job type (staff tick it off in the form)."""

CHECKLISTS: dict[str, tuple[str, ...]] = {
	"Installation": (
		"Confirm the customer and service address",
		"Run the fibre drop and fit the wall outlet",
		"Clean and inspect connectors",
		"Install and register the ONT / modem",
		"Check optical level is in the healthy range",
		"Test speed and Wi-Fi with the customer",
		"Collect the customer's signature",
	),
	"Repair": (
		"Reproduce the fault with the customer",
		"Check optical level and connectors",
		"Replace or repair the faulty part",
		"Test the service with the customer",
	),
	"Maintenance": ("Inspect the equipment and cabling", "Update firmware if needed", "Record readings"),
	"Removal": ("Collect every unit on the job", "Record serial numbers of returned units", "Photograph the site"),
	"Survey": ("Photograph the building entry and route", "Note the distance to the nearest splice point"),
}


def checklist_for(job_type: str) -> list[dict]:
	return [{"task": task, "done": 0} for task in CHECKLISTS.get(job_type, ())]
