app_name = "gigafibre_fsm"
app_title = "Gigafibre FSM"
app_publisher = "gigafibre-fsm contributors"
app_description = "Field service for fibre ISPs: locations, equipment, subscriptions, dispatch, diagnostics"
app_email = "dev@gigafibre-fsm.invalid"
app_license = "MIT"

# "org/app" needs no lookup on a code host: `bench install-app` works offline.
required_apps = ["frappe/erpnext"]

# Whitelisted methods must annotate their arguments (Frappe validates them before the call).
require_type_annotated_api_methods = True

after_install = "gigafibre_fsm.setup.install.after_install"
after_migrate = "gigafibre_fsm.setup.install.after_migrate"
before_tests = "gigafibre_fsm.tests.utils.before_tests"

permission_query_conditions = {
	"Dispatch Job": "gigafibre_fsm.permissions.dispatch_job_query",
}
has_permission = {
	"Dispatch Job": "gigafibre_fsm.permissions.dispatch_job_has_permission",
}

doc_events = {
	"FSM Settings": {
		"on_update": "gigafibre_fsm.setup.webhooks.sync_webhooks",
	},
	"ToDo": {
		"validate": "gigafibre_fsm.integrations.todo.validate",
	},
	"Address": {
		"validate": "gigafibre_fsm.integrations.address.validate",
	},
	"Contact": {
		"validate": "gigafibre_fsm.integrations.contact.validate",
	},
	"Serial and Batch Bundle": {
		"on_submit": "gigafibre_fsm.integrations.serial_and_batch_bundle.on_submit",
	},
	# The workers' outbox: changes they act on, written in the same transaction (outbox.py).
	"*": {
		"validate": "gigafibre_fsm.links.validate",
		"after_insert": "gigafibre_fsm.outbox.record",
		"on_update": "gigafibre_fsm.outbox.record",
		"on_change": "gigafibre_fsm.outbox.record",
	},
}

# An outbox row names the document it was recorded for; it must not stop staff deleting it
# (Frappe refuses to delete a document a Dynamic Link points to, except from these doctypes).
ignore_links_on_delete = ["FSM Event"]

override_whitelisted_methods = {
	"frappe.client.get_count": "gigafibre_fsm.overrides.client.get_count",
}

override_doctype_dashboards = {
	"Customer": "gigafibre_fsm.integrations.customer.get_dashboard_data",
}

additional_timeline_content = {
	"Customer": ["gigafibre_fsm.integrations.customer.timeline"],
}

app_include_js = [
	"/assets/gigafibre_fsm/js/sms_dialog.js",
	"/assets/gigafibre_fsm/js/diagnostics.js",
	"/assets/gigafibre_fsm/js/scan_supplier_invoice.js",
]

doctype_js = {
	"Communication": "public/js/communication.js",
	"Customer": "public/js/customer.js",
	"Issue": "public/js/issue.js",
	"File": "public/js/file.js",
}

doctype_list_js = {
	"Purchase Invoice": "public/js/purchase_invoice_list.js",
}

# The technician phone page: /t/<token> (a signed link) and /t/me (a logged-in technician) render
# www/t.html; its service worker is served by api.field.service_worker with scope /t/.
# The customer portal: /q/<token>, the address on a modem's QR sticker, renders www/q.html.
website_route_rules = [
	{"from_route": "/t/<token>", "to_route": "t"},
	{"from_route": "/q/<token>", "to_route": "q"},
]

scheduler_events = {
	# A safety net only: the workers reconcile on their own and never depend on the scheduler.
	"hourly": ["gigafibre_fsm.setup.webhooks.sync_webhooks"],
}

default_log_clearing_doctypes = {
	"Integration Request": 90,
	"FSM Event": 30,
	"Portal Access": 90,
	"Portal Access Log": 90,
	# Processed and reviewed rows only: a row still Needs Review is kept (inbound_event.py).
	"Inbound Event": 180,
}

fixtures = []
