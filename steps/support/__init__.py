"""Helpers for the steps that are not steps themselves."""
