"""Pages for a district's framework drafts: the admins of the district that owns the framework start a
draft from a published version, edit it (the framework's wording, levels, domains, key questions, roles
and which key questions apply to which role), see the changes so far and every problem, then publish or
discard it; they also adopt a published version for the district. Another district's draft answers 404,
as if it did not exist. Publishing, discarding, retiring a question, removing a role and adopting ask
first (badges.web.confirm). Each editing form is a page of its own, so every page reads on a phone.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..access import acting_user, admin_required, get_visible_or_404
from ..authoring import editing
from ..authoring.adoption import adopt_framework
from ..authoring.drafts import discard_draft, draft_of, own_slug, start_draft
from ..authoring.publishing import DraftProblems, publish_draft, publishing_problems
from ..base import InvalidInput
from ..extensions import db
from ..frameworks.documents import compare_documents, framework_document
from ..frameworks.queries import get_framework, versions_of
from ..models import Domain, Framework, Indicator, Level, ProfessionalRole
from ..permissions import can_adapt_frameworks, is_signed_in
from ..visibility import EDITABLE_DRAFT
from .confirm import confirmation_step
from .forms import show_errors
from .framework_draft_forms import DetailsForm, DomainForm, LevelForm, QuestionForm, RoleForm

bp = Blueprint("framework_drafts", __name__, url_prefix="/frameworks")


@bp.app_context_processor
def framework_actions_helper() -> dict[str, Any]:
    return {"framework_actions": framework_actions, "our_draft_of": our_draft_of}


def our_draft_of(framework: Framework) -> Framework | None:
    """The signed-in admin's district's draft of `framework`, if any; None (and no query) for anyone else."""
    user = current_user if is_signed_in(current_user) else None
    return draft_of(own_slug(user, framework)) if user is not None and can_adapt_frameworks(user) else None


def framework_actions(framework: Framework) -> dict[str, Any]:
    """What the framework pages offer the signed-in person about a published version: its versions,
    whether their district uses it, and for admins their district's draft of it (or starting one) and adopting."""
    user = current_user if is_signed_in(current_user) else None
    district = user.district if user is not None else None
    can_adapt = can_adapt_frameworks(user)
    return {
        "versions": versions_of(framework.slug),
        "in_use": district is not None and district.framework_id == framework.id,
        "can_adapt": can_adapt,
        "draft": our_draft_of(framework),
    }


# --- lookups ---------------------------------------------------------------------------------------


def editable_draft(draft_id: int) -> Framework:
    return get_visible_or_404(Framework, draft_id, acting_user(), EDITABLE_DRAFT)


def _level(draft: Framework, value: int) -> Level:
    return next((lv for lv in draft.levels if lv.value == value), None) or abort(
        404, f"The draft has no level {value}."
    )


def _domain(draft: Framework, code: str) -> Domain:
    return next((d for d in draft.domains if d.code == code), None) or abort(404, f"The draft has no domain {code}.")


def _question(draft: Framework, indicator_id: int) -> Indicator:
    found = next((i for d in draft.domains for i in d.indicators if i.id == indicator_id), None)
    return found or abort(404, f"The draft has no key question {indicator_id}.")


def _role(draft: Framework, code: str) -> ProfessionalRole:
    return draft.role(code) or abort(404, f"The draft has no role {code}.")


def _published(slug: str, version: str) -> Framework:
    return get_framework(slug, version) or abort(404, f"No framework {slug} version {version}.")


def _status() -> int:
    return 400 if request.method == "POST" else 200


def _saved(draft: Framework, message: str) -> ResponseReturnValue:
    flash(message)
    return redirect(url_for(".show", draft_id=draft.id))


def _role_choices(form: QuestionForm, draft: Framework) -> None:
    form.roles.choices = [(r.code, r.name) for r in draft.roles]


# --- the draft -------------------------------------------------------------------------------------


def _changes(draft: Framework) -> list[str]:
    previous = framework_document(draft.based_on) if draft.based_on is not None else None
    return compare_documents(previous, framework_document(draft))


@bp.get("/drafts/<int:draft_id>")
@admin_required
def show(draft_id: int):
    return _draft_page(editable_draft(draft_id))


def _draft_page(draft: Framework, problems: list[tuple[str, str]] | None = None, status: int = 200):
    return render_template(
        "frameworks/draft.html",
        draft=draft,
        problems=publishing_problems(draft) if problems is None else problems,
        changes=_changes(draft),
    ), status


@bp.route("/drafts/<int:draft_id>/details", methods=["GET", "POST"])
@admin_required
def details(draft_id: int):
    draft = editable_draft(draft_id)
    form = DetailsForm(obj=None if request.method == "POST" else draft)
    if form.validate_on_submit():
        try:
            editing.edit_framework(acting_user(), draft, form.title.data, form.description.data, form.version.data)
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            return _saved(draft, "Saved the framework’s title, description and version.")
    return render_template("frameworks/draft_form.html", draft=draft, form=form, heading="Title and version"), _status()


@bp.route("/drafts/<int:draft_id>/levels/<int:value>", methods=["GET", "POST"])
@admin_required
def level(draft_id: int, value: int):
    draft = editable_draft(draft_id)
    found = _level(draft, value)
    form = LevelForm(obj=None if request.method == "POST" else found)
    if form.validate_on_submit():
        try:
            editing.edit_level(acting_user(), draft, found, form.name.data, form.descriptor.data)
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            return _saved(draft, f"Saved level {value}.")
    heading = f"Level {found.value}: {found.name}"
    return render_template("frameworks/draft_form.html", draft=draft, form=form, heading=heading), _status()


@bp.route("/drafts/<int:draft_id>/domains/<code>", methods=["GET", "POST"])
@admin_required
def domain(draft_id: int, code: str):
    draft = editable_draft(draft_id)
    found = _domain(draft, code)
    form = DomainForm(obj=None if request.method == "POST" else found)
    if form.validate_on_submit():
        try:
            editing.edit_domain(acting_user(), draft, found, form.name.data, form.description.data)
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            flash(f"Saved the domain {found.name}.")
            return redirect(url_for(".domain", draft_id=draft.id, code=found.code))
    adding = QuestionForm(formdata=None)
    _role_choices(adding, draft)
    return _domain_page(draft, found, form, adding, _status())


def _domain_page(draft, found, form, adding, status) -> ResponseReturnValue:
    return render_template("frameworks/draft_domain.html", draft=draft, domain=found, form=form, adding=adding), status


@bp.post("/drafts/<int:draft_id>/domains/<code>/questions")
@admin_required
def add_question(draft_id: int, code: str):
    draft = editable_draft(draft_id)
    found = _domain(draft, code)
    adding = QuestionForm()
    _role_choices(adding, draft)
    if adding.validate_on_submit():
        try:
            made = editing.add_question(acting_user(), draft, found, adding.text.data, adding.roles.data or [])
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(adding, exc)
        else:
            flash(f"Added key question {made.code}.")
            return redirect(url_for(".domain", draft_id=draft.id, code=found.code))
    return _domain_page(draft, found, DomainForm(formdata=None, obj=found), adding, 400)


@bp.route("/drafts/<int:draft_id>/questions/<int:indicator_id>", methods=["GET", "POST"])
@admin_required
def question(draft_id: int, indicator_id: int):
    draft = editable_draft(draft_id)
    found = _question(draft, indicator_id)
    posted = request.method == "POST"
    form = QuestionForm(obj=None if posted else found)
    _role_choices(form, draft)
    if not posted:
        form.roles.data = [r.code for r in found.roles]
    if form.validate_on_submit():
        try:
            editing.edit_question(acting_user(), draft, found, form.text.data, form.roles.data or [])
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            flash(f"Saved key question {found.code}.")
            return redirect(url_for(".domain", draft_id=draft.id, code=found.domain.code))
    return render_template("frameworks/draft_question.html", draft=draft, question=found, form=form), _status()


@bp.post("/drafts/<int:draft_id>/questions/<int:indicator_id>/retire")
@admin_required
def retire_question(draft_id: int, indicator_id: int):
    draft = editable_draft(draft_id)
    found = _question(draft, indicator_id)
    domain_code = found.domain.code
    asked = confirmation_step(
        title=f"Retire key question {found.code}?",
        message=f"“{found.text}” will not be in the next version. Earlier versions keep it, with what was recorded.",
        details=[f"Its code {found.code} is never given to another key question."],
        button="Retire the key question",
        cancel_url=url_for(".domain", draft_id=draft.id, code=domain_code),
    )
    if asked:
        return asked
    editing.retire_question(acting_user(), draft, found)
    flash(f"Retired key question {found.code}.")
    return redirect(url_for(".domain", draft_id=draft.id, code=domain_code))


# --- roles -----------------------------------------------------------------------------------------


def _role_page(draft, form, role, chosen, status) -> ResponseReturnValue:
    return render_template("frameworks/draft_role.html", draft=draft, form=form, role=role, chosen=set(chosen)), status


def _posted_questions(form: RoleForm) -> list[int]:
    return list(form.questions.data or [])


@bp.route("/drafts/<int:draft_id>/roles/new", methods=["GET", "POST"])
@admin_required
def new_role(draft_id: int):
    draft = editable_draft(draft_id)
    form = RoleForm()
    if form.validate_on_submit():
        actor = acting_user()
        try:
            made = editing.add_role(actor, draft, form.name.data, form.description.data)
            editing.set_role_questions(actor, draft, made, _posted_questions(form))
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            return _saved(draft, f"Added the role {made.name}.")
    return _role_page(draft, form, None, _posted_questions(form) if request.method == "POST" else [], _status())


@bp.route("/drafts/<int:draft_id>/roles/<code>", methods=["GET", "POST"])
@admin_required
def role(draft_id: int, code: str):
    draft = editable_draft(draft_id)
    found = _role(draft, code)
    posted = request.method == "POST"
    form = RoleForm(obj=None if posted else found)
    if form.validate_on_submit():
        actor = acting_user()
        try:
            editing.edit_role(actor, draft, found, form.name.data, form.description.data)
            editing.set_role_questions(actor, draft, found, _posted_questions(form))
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            return _saved(draft, f"Saved the role {found.name}.")
    chosen = _posted_questions(form) if posted else [ind.id for ind in found.indicators]
    return _role_page(draft, form, found, chosen, _status())


@bp.post("/drafts/<int:draft_id>/roles/<code>/remove")
@admin_required
def remove_role(draft_id: int, code: str):
    draft = editable_draft(draft_id)
    found = _role(draft, code)
    asked = confirmation_step(
        title=f"Remove the role {found.name}?",
        message=f"{found.name} will not be in the next version, and no key question will apply to it.",
        details=[
            "Key questions that applied only to this role must be given another role before the draft is published.",
            "Staff whose professional role it is keep it in earlier versions; give them another role after publishing.",
        ],
        button="Remove the role",
        cancel_url=url_for(".role", draft_id=draft.id, code=found.code),
    )
    if asked:
        return asked
    name = found.name
    editing.remove_role(acting_user(), draft, found)
    return _saved(draft, f"Removed the role {name}.")


# --- start, publish, discard, adopt ----------------------------------------------------------------


@bp.post("/<slug>/<version>/draft")
@admin_required
def start(slug: str, version: str):
    base = _published(slug, version)
    draft = start_draft(acting_user(), base)
    flash(f"Started version {draft.version}, a draft of {base.label}. Only your district’s administrators see it.")
    return redirect(url_for(".show", draft_id=draft.id))


@bp.post("/drafts/<int:draft_id>/publish")
@admin_required
def publish(draft_id: int):
    draft = editable_draft(draft_id)
    problems = publishing_problems(draft)
    if problems:
        return _draft_page(draft, problems, 400)
    changes = _changes(draft)
    asked = confirmation_step(
        title=f"Publish version {draft.version}?",
        message=f"{draft.title} {draft.version} will be published for good, with its badges, and your district's "
        "staff will use it from now on. What was recorded under earlier versions keeps their wording.",
        details=["What changed:", *changes],
        button=f"Publish version {draft.version}",
        cancel_url=url_for(".show", draft_id=draft.id),
        destructive=False,
    )
    if asked:
        return asked
    try:
        publish_draft(acting_user(), draft)
    except DraftProblems as exc:
        db.session.rollback()
        return _draft_page(editable_draft(draft_id), exc.problems, 400)
    flash(f"Published {draft.label}; your district uses it now.")
    return redirect(url_for("frameworks.show", slug=draft.slug, version=draft.version))


@bp.post("/drafts/<int:draft_id>/discard")
@admin_required
def discard(draft_id: int):
    draft = editable_draft(draft_id)
    asked = confirmation_step(
        title="Discard this draft?",
        message=f"The draft of {draft.title} {draft.version} and every change in it will be deleted for good.",
        details=["Published versions are not touched."],
        button="Discard the draft",
        cancel_url=url_for(".show", draft_id=draft.id),
    )
    if asked:
        return asked
    based_on = draft.based_on
    discard_draft(acting_user(), draft)
    flash("Discarded the draft.")
    if based_on is not None:
        return redirect(url_for("frameworks.show", slug=based_on.slug, version=based_on.version))
    return redirect(url_for("frameworks.index"))


@bp.post("/<slug>/<version>/adopt")
@admin_required
def adopt(slug: str, version: str):
    framework = _published(slug, version)
    actor = acting_user()
    current = actor.district.framework
    asked = confirmation_step(
        title=f"Use {framework.label} in your district?",
        message=f"Your district's staff will assess themselves and claim badges against {framework.label} from now on.",
        details=[
            *([f"Your district uses {current.label} now."] if current is not None else []),
            "Self-assessments, claims and badges made under an earlier version keep pointing at it.",
        ],
        button="Use this version",
        cancel_url=url_for("frameworks.show", slug=slug, version=version),
        destructive=False,
    )
    if asked:
        return asked
    adopt_framework(actor, framework)
    flash(f"Your district uses {framework.label} now.")
    return redirect(url_for("frameworks.show", slug=slug, version=version))
