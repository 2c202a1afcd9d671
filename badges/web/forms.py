"""What the page views share about forms."""

from __future__ import annotations

from flask_wtf import FlaskForm

from ..base import InvalidInput


def show_errors(form: FlaskForm, exc: InvalidInput) -> list[str]:
    """Put the service's {field: [messages]} beside the form's fields; those that belong to no field are returned."""
    elsewhere = []
    for name, messages in exc.errors.items():
        field = getattr(form, name, None) if name != "csrf_token" else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, *messages]
        else:
            elsewhere.extend(messages)
    return elsewhere
