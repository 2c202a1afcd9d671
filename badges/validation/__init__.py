"""Validation: claims and reviews (a validator's scope is badges.people.scope; badge classes are the catalogue's)."""
