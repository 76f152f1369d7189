"""gigafibre_fsm.migration.wrapping: a wrapper stands for Frappe's own function, also after a
re-import of the module that wraps it."""

import types

from gigafibre_fsm.migration.wrapping import wrap


def frappes(x):
	return f"frappe {x}"


def make_wrapper():
	"""What each import of a wrapping module defines: a new function, same module and name."""

	def get(x):
		return f"wrapped {original(x)}"

	return get


def test_the_wrapper_takes_the_place_and_the_original_is_returned():
	owner = types.SimpleNamespace(get=frappes)
	global original
	original = wrap(owner, "get", make_wrapper())
	assert original is frappes
	assert owner.get("a") == "wrapped frappe a"


def test_a_reimport_wraps_frappes_function_not_its_own_earlier_wrapper():
	owner = types.SimpleNamespace(get=frappes)
	global original
	original = wrap(owner, "get", make_wrapper())
	original = wrap(owner, "get", make_wrapper())  # the module imported again
	assert original is frappes
	assert owner.get("a") == "wrapped frappe a"  # not "wrapped wrapped frappe a"
