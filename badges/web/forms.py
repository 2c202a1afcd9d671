"""What the page views share about forms: putting the service's messages beside the fields, and
the one checkbox-list field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.core import Field
from wtforms.widgets import CheckboxInput, ListWidget

from ..base import InvalidInput, parse_id, parse_small_int


def show_errors(form: FlaskForm, exc: InvalidInput) -> list[str]:
    """Put the service's {field: [messages]} beside the form's fields; the messages that belong to
    no field go to form.form_errors (the errors_summary macro shows them) and are returned."""
    elsewhere = []
    for name, messages in exc.errors.items():
        field = getattr(form, name, None) if name != "csrf_token" else None
        if isinstance(field, Field):
            field.errors = [*field.errors, *messages]
        else:
            elsewhere.extend(messages)
    form.form_errors.extend(elsewhere)
    return elsewhere


def choice_id(value: Any) -> int:
    """A chosen id as posted: ASCII digits within the id bound, or a field error (not a 500)."""
    number = parse_id(value)
    if number is None:
        raise ValueError("Choose from the list: one of the chosen values is not one of its choices.")
    return number


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes. The choices are ids (coerce=str for codes); an unknown id reaches the
    domain, which names it, and a value that is no id at all is a field error."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str | None = None, coerce: Callable[[Any], Any] = choice_id, **kwargs: Any):
        super().__init__(label, coerce=coerce, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            self.data = [self.coerce(value) for value in valuelist]
        except ValueError as exc:  # wtforms' own message says only "could not be coerced"
            raise ValueError(str(exc)) from exc


def page_number(value: object) -> int:
    """A page number from the query string; anything that is not one (or absurdly large) is page 1."""
    return parse_small_int(value, 1, 10**6) or 1
