"""Validation: badge classes from the framework, claims, validator scopes and reviews."""
