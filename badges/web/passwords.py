"""Setting a password: "Forgot your password?", the reset and invitation links, and changing your own.

"Forgot your password?" answers the same words, with the same status, whether or not the address
belongs to anyone, and does the same work either way (badges.people.account_links.forgotten), so it
tells nobody who has an account. It is throttled per address typed (a mailbox cannot be flooded)
and per client address. The links are signed and single use (badges.people.account_links); a bad,
expired or used one gets a page that says which and what to do, never a 500. Changing your own
password ends every other session and keeps this one.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..access import acting_user
from ..base import InvalidInput
from ..credentials.urls import account_link
from ..extensions import db, limiter
from ..people import account_links, operations
from ..people.account_links import INVITATION, RESET, LinkRefused, Purpose
from ..people.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from ..permissions import landing_home
from .forms import show_errors

bp = Blueprint("passwords", __name__)

FORGOT_ANSWER = (
    "If an account uses that address, we have sent it a link to choose a new password. "
    f"The link works once, for {RESET.lasts}. Nothing there? Check the address and your spam folder."
)
POLICY = (
    f"At least {MIN_PASSWORD_LENGTH} characters (up to {MAX_PASSWORD_LENGTH}). A few unrelated words are "
    "easy to remember and hard to guess; very common passwords are refused."
)


def _strip(value):
    return value.strip() if value else value


class ForgotForm(FlaskForm):
    email = EmailField(
        "Email", filters=[_strip], validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )


class NewPasswordForm(FlaskForm):
    # Length is checked by the one policy (badges.people.passwords), which names the problem; this
    # bound only keeps an absurd post from being hashed.
    new_password = PasswordField("New password", validators=[DataRequired(), Length(max=1024)])
    repeat = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", message="The two passwords are not the same.")],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=1024)])


def _typed_address_key() -> str:
    return "reset-email:" + request.form.get("email", "").strip().lower()[:254]


def _client_address_key() -> str:
    return f"reset-address:{get_remote_address()}"


# One counter per account for the page and the API (badges.api.accounts names the same scope), so
# a session left open on a shared computer cannot guess the current password through either.
PASSWORD_CHANGE_SCOPE = "password-change"


def _account_key() -> str:
    return f"password-change:{current_user.id}" if current_user.is_authenticated else _client_address_key()


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RESET_RATE_LIMIT"],
    methods=["POST"],
    key_func=_typed_address_key,
    error_message="Too many reset links asked for this address.",
)
@limiter.limit(
    lambda: current_app.config["RESET_ADDRESS_RATE_LIMIT"],
    methods=["POST"],
    key_func=_client_address_key,
    error_message="Too many reset links asked from your network.",
)
def forgot_password() -> ResponseReturnValue:
    form = ForgotForm()
    if form.validate_on_submit():
        account_links.forgotten(form.email.data, account_link)
        return render_template("auth/forgot_password.html", form=ForgotForm(formdata=None), sent=FORGOT_ANSWER)
    return render_template("auth/forgot_password.html", form=form, sent=None), 400 if request.method == "POST" else 200


def _private(response: ResponseReturnValue) -> ResponseReturnValue:
    """A page whose address holds a link's token: kept out of every cache."""
    body, status = response if isinstance(response, tuple) else (response, 200)
    return body, status, {"Cache-Control": "no-store"}


def _link_page(token: str, purpose: Purpose) -> ResponseReturnValue:
    template = "auth/set_password.html"
    try:
        person = account_links.person_for(token, purpose)
    except LinkRefused as exc:
        return _private((render_template("auth/link_refused.html", purpose=purpose.name, problem=exc), 400))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            person = account_links.use_link(token, purpose, form.new_password.data)
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            session.clear()  # a new session for the person, whatever the browser held before
            login_user(person)
            operations.record_sign_in(person)
            welcome = "Welcome" if purpose is INVITATION else "Your new password is set"
            flash(f"{welcome}, {person.name}: you are signed in.")
            home = landing_home(person)
            return redirect(url_for("homes.role_home", home=home) if home else url_for("homes.index"))
    status = 400 if request.method == "POST" else 200
    return _private((render_template(template, form=form, person=person, purpose=purpose.name, policy=POLICY), status))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    return _link_page(token, RESET)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str) -> ResponseReturnValue:
    return _link_page(token, INVITATION)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.shared_limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    scope=PASSWORD_CHANGE_SCOPE,
    methods=["POST"],
    key_func=_account_key,
    error_message="Too many password changes tried for this account.",
)
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        person = acting_user()
        try:
            operations.change_own_password(person, form.current_password.data, form.new_password.data)
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            login_user(person)  # this session carries the new session version; every other one has ended
            flash("Your password is changed. Every other session of yours has been signed out.")
            home = landing_home(person)
            return redirect(url_for("homes.role_home", home=home) if home else url_for("homes.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form, policy=POLICY), status
