"""The forms of the exemplar-set pages (badges.web.exemplars): a set, and an exemplar with its link or file.
The anchors are radio groups the page reads by name, one per key question."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField, URLField

from ..calibration import exemplars, sets
from ..educator import evidence
from ..educator.uploads import CLAIMED

ACCEPT = ",".join(f".{ext}" for ext in CLAIMED)


class SetForm(FlaskForm):
    domain = SelectField("Domain", validate_choice=False)
    role = SelectField("Professional role", validate_choice=False)
    title = StringField("Title", render_kw={"required": True, "maxlength": evidence.TITLE_MAX})
    description = TextAreaField(
        "Description (what the set is for)", render_kw={"rows": 3, "maxlength": sets.DESCRIPTION_MAX}
    )


class ExemplarForm(FlaskForm):
    """Title, narrative, link and file; the anchors are radio groups read from the form by name."""

    title = StringField("Title", render_kw={"required": True, "maxlength": evidence.TITLE_MAX})
    narrative = TextAreaField(
        "Narrative (what validators read, as a claimant would write it)",
        render_kw={"required": True, "rows": 8, "maxlength": evidence.NARRATIVE_MAX},
    )
    url = URLField("Web address (optional)", render_kw={"maxlength": evidence.URL_MAX, "placeholder": "https://"})
    file = FileField("File (optional)", render_kw={"accept": ACCEPT})
    remove_file = BooleanField("Remove the file")
    rationale = TextAreaField(
        "Rationale (why these levels; validators read it after rating)",
        render_kw={"rows": 4, "maxlength": exemplars.RATIONALE_MAX},
    )
