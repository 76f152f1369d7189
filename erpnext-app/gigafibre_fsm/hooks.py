app_name = "gigafibre_fsm"
app_title = "Gigafibre FSM"
app_publisher = "gigafibre-fsm contributors"
app_description = "Field service for fibre ISPs: locations, equipment, subscriptions, dispatch, diagnostics"
app_email = "dev@gigafibre-fsm.invalid"
app_license = "MIT"

required_apps = ["erpnext"]

# Whitelisted methods must annotate their arguments (validated by Frappe before the call).
require_type_annotated_api_methods = True

after_install = "gigafibre_fsm.setup.install.after_install"
after_migrate = "gigafibre_fsm.setup.install.after_migrate"
