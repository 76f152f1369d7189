"""Reactions to other apps' doctypes (Frappe's, ERPNext's), one module per doctype, wired in hooks.py."""
