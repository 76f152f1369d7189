frappe.query_reports["Equipment by Place"] = { filters: [] };
