"""Domain errors. Each subclasses frappe.ValidationError, so REST callers get HTTP 417 with the
class name in `exc_type`, and tests assert the exact class."""

import frappe


class InvalidMacAddress(frappe.ValidationError):
	pass


class InvalidGponSerial(frappe.ValidationError):
	pass


class InvalidCoordinates(frappe.ValidationError):
	pass


class InvalidJobTransition(frappe.ValidationError):
	pass


class JobDependencyError(frappe.ValidationError):
	pass


class EquipmentNotFound(frappe.DoesNotExistError):
	pass


class UpsertError(frappe.ValidationError):
	pass


class InvalidPostalCode(frappe.ValidationError):
	pass


class InvalidEmailAddress(frappe.ValidationError):
	pass


class InvalidPhoneNumber(frappe.ValidationError):
	pass


class NothingToDiagnose(frappe.ValidationError):
	pass


class InvalidImei(frappe.ValidationError):
	pass


class VisionReviewError(frappe.ValidationError):
	pass


class AssignmentRefused(frappe.ValidationError):
	pass


class FieldLinkRefused(frappe.AuthenticationError):
	pass


class FieldActionConflict(frappe.ValidationError):
	pass


class InvalidSettingsAccount(frappe.ValidationError):
	pass


class PortalCodeRefused(frappe.ValidationError):
	pass


class PortalRateLimited(frappe.ValidationError):
	http_status_code = 429


class PortalSessionRefused(frappe.AuthenticationError):
	pass


class StockMoveRefused(frappe.ValidationError):
	"""A job's or an RMA's stock moves cannot be posted: a unit is not where the books say, or
	what the posting needs (an Item, a van, a warehouse) is missing."""


class SmsNotRetryable(frappe.ValidationError):
	pass
