"""The framework editor's forms (badges.web.framework_drafts): one short form per page, lengths those of the
framework file (badges.authoring.editing), choices filled in by the view from the draft."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from ..authoring import editing
from .forms import CheckboxesField


def _text(label: str, limit: int, required: bool = True) -> StringField:
    return StringField(label, render_kw={"maxlength": limit, **({"required": True} if required else {})})


def _long(label: str, limit: int, rows: int = 4, required: bool = False) -> TextAreaField:
    return TextAreaField(
        label, render_kw={"maxlength": limit, "rows": rows, **({"required": True} if required else {})}
    )


class DetailsForm(FlaskForm):
    title = _text("Title", editing.TITLE_MAX)
    description = _long("Description", editing.LONG_TEXT_MAX, rows=6)
    version = _text("Version (as it will be published, e.g. 2)", editing.VERSION_MAX)


class LevelForm(FlaskForm):
    name = _text("Name of the level", editing.LEVEL_NAME_MAX)
    descriptor = _long("Descriptor (what a person at this level can do)", editing.DESCRIPTOR_MAX, 5, True)


class DomainForm(FlaskForm):
    name = _text("Name of the domain", editing.DOMAIN_NAME_MAX)
    description = _long("Description", editing.LONG_TEXT_MAX, rows=5)


class QuestionForm(FlaskForm):
    text = _long("Key question", editing.QUESTION_MAX, rows=3, required=True)
    roles = CheckboxesField("Professional roles it applies to", coerce=str)


class RoleForm(FlaskForm):
    name = _text("Name of the role", editing.ROLE_NAME_MAX)
    description = _long("Description (the work people in this role do)", editing.ROLE_DESCRIPTION_MAX)
    questions = CheckboxesField("Key questions that apply to this role")
