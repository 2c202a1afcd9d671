"""Pages for the educator's badge claims: my badges, claim a badge, read a claim and its reviews,
revise and resubmit a returned claim, withdraw an open one.

Another person's claim answers 404, so ids do not tell anyone what exists. The rules live in
badges.validation.claims; these views load and act; the app commits once when a request succeeds (badges.transactions).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectChoice, SelectField, StringField, TextAreaField, URLField

from ..access import acting_user, educator_required, get_visible_or_404
from ..base import InvalidInput, StateConflict, parse_id
from ..catalogue.badge_classes import badge_classes_for, level_of
from ..educator import evidence as portfolio
from ..educator.evidence import list_evidence
from ..educator.uploads import CLAIMED
from ..extensions import db
from ..models import BadgeClass, Claim, ClaimStatus, User
from ..notifications import mark_all_read, unread_notifications
from ..validation import claims
from ..validation.claim_with_evidence import NewEvidence, create_claim_with_evidence, resubmit_with_evidence
from ..validation.revision_diff import cited
from .confirm import confirmation_step
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
    # New evidence, optional: added to the portfolio and cited, in the same transaction as the claim.
    new_file = FileField("File", render_kw={"accept": ",".join(f".{ext}" for ext in CLAIMED)})
    new_url = URLField("or a web address", render_kw={"maxlength": portfolio.URL_MAX, "placeholder": "https://"})
    new_title = StringField("Title of the new evidence", render_kw={"maxlength": portfolio.TITLE_MAX})
    new_narrative = TextAreaField(
        "What it shows and what you learned", render_kw={"rows": 4, "maxlength": portfolio.NARRATIVE_MAX}
    )

    def offer(self, owner: User):
        self.evidence.choices = [SelectChoice(item.id, item.title) for item in list_evidence(owner)]
        return self

    def new_evidence(self) -> NewEvidence:
        upload = self.new_file.data
        data = None
        if upload is not None and getattr(upload, "filename", ""):
            data = upload.stream.read(current_app.config["EVIDENCE_MAX_BYTES"] + 1)
        return NewEvidence(
            title=self.new_title.data,
            narrative=self.new_narrative.data,
            url=self.new_url.data,
            filename=upload.filename if data is not None else "",
            data=data,
        )


class ClaimForm(ResubmitForm):
    badge_class = SelectField("Badge", coerce=_id_or_none, validate_choice=False)

    def offer_badges(self, badge_classes: list[BadgeClass]):
        # The domain's name is in each option, not only in its group: a closed list shows the option alone.
        self.badge_class.choices = [SelectChoice("", "Choose a badge")] + [
            SelectChoice(bc.id, f"{bc.domain.name}: {level_of(bc).name} ({bc.level})", optgroup=bc.domain.name)
            for bc in badge_classes
        ]
        return self


class WithdrawForm(FlaskForm):
    reason = TextAreaField("Why (optional, kept in the record)", render_kw={"rows": 2, "maxlength": 2000})


_me = acting_user


def _owned_claim_or_404(claim_id: int) -> Claim:
    return get_visible_or_404(Claim, claim_id, _me())


def _forget_file(form: ResubmitForm, new: NewEvidence) -> None:
    """A browser cannot fill a file input again: say so beside it."""
    if new.data is not None:
        form.new_file.errors = [*form.new_file.errors, "Nothing was kept: choose the file again."]


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
        new = form.new_evidence()
        try:
            claim, item = create_claim_with_evidence(
                me, form.badge_class.data, form.statement.data, form.evidence.data or (), new
            )
        except InvalidInput as error:  # 409 when a double-submitted form made the claim a moment ago
            db.session.rollback()  # takes the new evidence and its stored file with it
            show_errors(form, error)
            _forget_file(form, new)
            status = error.status
        else:
            added = f" with your new evidence “{item.title}”" if item is not None else ""
            flash(f"Your claim for “{claim.badge_class.name}” is submitted{added}; a validator will review it.")
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
    new = form.new_evidence()
    try:
        revision, item = resubmit_with_evidence(me, claim, form.statement.data, form.evidence.data or (), new)
    except StateConflict as error:
        db.session.rollback()
        return _show_page(claim, errors=_messages(error), status=409)
    except InvalidInput as error:
        db.session.rollback()  # takes the new evidence and its stored file with it
        show_errors(form, error)
        _forget_file(form, new)
        return _show_page(claim, resubmit=form, status=400)
    added = f" with your new evidence “{item.title}”" if item is not None else ""
    flash(f"Revision {revision.number} of your claim is submitted{added}; a validator will review it.")
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
        reason = claims.check_withdrawal(me, claim, form.reason.data or "")
    except InvalidInput as error:  # StateConflict: already decided or withdrawn; a bad reason: 400
        if error.status == 400:
            show_errors(form, error)
            return _show_page(claim, withdraw=form, status=400)
        return _show_page(claim, errors=_messages(error), status=error.status)
    asked = confirmation_step(  # the typed reason travels through the step as a hidden field
        title="Withdraw this claim?",
        message=f"Your claim for “{claim.badge_class.name}” will be withdrawn: no validator will review it, "
        "and it cannot be reopened.",
        details=[f"Your reason, kept in the record: “{reason}”." if reason else "You gave no reason.", WITHDRAW_AFTER],
        button="Withdraw claim",
        cancel_url=url_for(".show", claim_id=claim.id),
    )
    if asked:
        return asked
    try:
        claims.withdraw_claim(me, claim, reason)
    except InvalidInput as error:  # decided while the person was being asked
        db.session.rollback()
        return _show_page(claim, errors=_messages(error), status=error.status)
    flash(f"Your claim for “{claim.badge_class.name}” is withdrawn.")
    return redirect(url_for(".show", claim_id=claim.id))


WITHDRAW_AFTER = "Its evidence stays in your portfolio; you can claim the badge again later with a new claim."


@bp.post("/notifications/read")
@educator_required
def read_notifications():
    mark_all_read(_me())
    return redirect(url_for("homes.role_home", home="educator"))
