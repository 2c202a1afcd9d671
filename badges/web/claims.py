"""Pages for the educator's badge claims: my badges, claim a badge, read a claim and its reviews,
revise and resubmit a returned claim, withdraw an open one.

Another person's claim answers 404, so ids do not tell anyone what exists. The rules live in
badges.validation.claims; these views load and act; the app commits once when a request succeeds (badges.transactions).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField

from ..access import acting_user, educator_required, get_visible_or_404
from ..base import InvalidInput, StateConflict, parse_id
from ..catalogue.badge_classes import badge_classes_for, level_of
from ..educator.evidence import list_evidence
from ..extensions import db
from ..models import BadgeClass, Claim, ClaimStatus, User
from ..notifications import mark_all_read, unread_notifications
from ..validation import claims
from ..validation.revision_diff import cited
from .forms import CheckboxesField, choice_id, show_errors

bp = Blueprint("claims", __name__, url_prefix="/educator/claims")


def _id_or_none(value: object) -> int | None:
    """The chosen badge, or None for "Choose a badge" (the claim rules then ask for one)."""
    return None if value in ("", None) else choice_id(value)


class ResubmitForm(FlaskForm):
    # Field names match the keys of InvalidInput.errors, so messages land beside their fields.
    statement = TextAreaField(
        "Why your evidence shows this level", render_kw={"rows": 10, "maxlength": claims.STATEMENT_MAX}
    )
    evidence = CheckboxesField("Evidence that supports the claim")

    def offer(self, owner: User):
        self.evidence.choices = [SelectChoice(item.id, item.title) for item in list_evidence(owner)]
        return self


class ClaimForm(ResubmitForm):
    badge_class = SelectField("Badge", coerce=_id_or_none, validate_choice=False)

    def offer_badges(self, badge_classes: list[BadgeClass]):
        self.badge_class.choices = [SelectChoice("", "Choose a badge")] + [
            SelectChoice(bc.id, f"{level_of(bc).name} ({bc.level})", optgroup=bc.domain.name) for bc in badge_classes
        ]
        return self


class WithdrawForm(FlaskForm):
    reason = TextAreaField("Why (optional, kept in the record)", render_kw={"rows": 2, "maxlength": 2000})


_me = acting_user


def _owned_claim_or_404(claim_id: int) -> Claim:
    return get_visible_or_404(Claim, claim_id, _me())


def _messages(error: InvalidInput) -> list[str]:
    return [message for messages in error.errors.values() for message in messages]


@bp.get("/")
@educator_required
def index():
    me = _me()
    return render_template(
        "educator/claims/index.html",
        awards=claims.my_awards(me),
        claims=claims.list_my_claims(me),
        notifications=unread_notifications(me),
    )


@bp.route("/new", methods=["GET", "POST"])
@educator_required
def new():
    me = _me()
    badge_classes = badge_classes_for(me)
    data = None if request.method == "POST" else {"badge_class": parse_id(request.args.get("badge_class"))}
    form = ClaimForm(data=data).offer(me).offer_badges(badge_classes)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            claim = claims.create_claim(me, form.badge_class.data, form.statement.data, form.evidence.data or ())
        except InvalidInput as error:  # 409 when a double-submitted form made the claim a moment ago
            db.session.rollback()
            show_errors(form, error)
            status = error.status
        else:
            flash(f"Your claim for “{claim.badge_class.name}” is submitted; a validator will review it.")
            return redirect(url_for(".show", claim_id=claim.id))
    chosen = next((bc for bc in badge_classes if bc.id == form.badge_class.data), None)
    return render_template("educator/claims/new.html", form=form, badge_classes=badge_classes, chosen=chosen), status


def _show_page(
    claim: Claim,
    resubmit: ResubmitForm | None = None,
    withdraw: WithdrawForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
):
    me = _me()
    if resubmit is None and claim.status is ClaimStatus.RETURNED:
        last = claim.current
        resubmit = ResubmitForm(
            formdata=None, data={"statement": last.statement, "evidence": [item.id for item in last.evidence]}
        )
    if resubmit is not None:
        resubmit.offer(me)
    if withdraw is None and claim.status.is_open:
        withdraw = WithdrawForm(formdata=None)
    reviews_by_revision: dict[int, list] = {}
    for review in claim.reviews:
        reviews_by_revision.setdefault(review.revision_id, []).append(review)
    levels = {lv.value: lv.name for lv in claim.badge_class.framework.levels}
    return render_template(
        "educator/claims/show.html",
        claim=claim,
        reviews_by_revision=reviews_by_revision,
        cited={revision.id: cited(revision) for revision in claim.revisions},  # as each was submitted
        levels=levels,
        resubmit=resubmit,
        withdraw=withdraw,
        errors=errors or [],
    ), status


@bp.get("/<int:claim_id>")
@educator_required
def show(claim_id: int):
    return _show_page(_owned_claim_or_404(claim_id))


@bp.post("/<int:claim_id>/resubmit")
@educator_required
def resubmit(claim_id: int):
    me = _me()
    claim = _owned_claim_or_404(claim_id)
    form = ResubmitForm().offer(me)
    if not form.validate():
        return _show_page(claim, resubmit=form, status=400)
    try:
        revision = claims.resubmit_claim(me, claim, form.statement.data, form.evidence.data or ())
    except StateConflict as error:
        db.session.rollback()
        return _show_page(claim, errors=_messages(error), status=409)
    except InvalidInput as error:
        db.session.rollback()
        show_errors(form, error)
        return _show_page(claim, resubmit=form, status=400)
    flash(f"Revision {revision.number} of your claim is submitted; a validator will review it.")
    return redirect(url_for(".show", claim_id=claim.id))


@bp.post("/<int:claim_id>/withdraw")
@educator_required
def withdraw(claim_id: int):
    me = _me()
    claim = _owned_claim_or_404(claim_id)
    form = WithdrawForm()
    if not form.validate():
        return _show_page(claim, withdraw=form, status=400)
    try:
        claims.withdraw_claim(me, claim, form.reason.data or "")
    except InvalidInput as error:  # StateConflict: already decided or withdrawn
        db.session.rollback()
        return _show_page(claim, errors=_messages(error), status=error.status)
    flash(f"Your claim for “{claim.badge_class.name}” is withdrawn.")
    return redirect(url_for(".show", claim_id=claim.id))


@bp.post("/notifications/read")
@educator_required
def read_notifications():
    mark_all_read(_me())
    return redirect(url_for("homes.role_home", home="educator"))
