"""Signing in and out.

A session names its person's session version ("<id>:<version>"); signing out, a new password,
deactivation and an admin's "sign out everywhere" raise it, so every copy of every cookie of that
person stops working at once.

Failed sign-ins are throttled per (account, client address) pair, with growing waits
(LOGIN_RATE_LIMIT, e.g. 5 a minute, 20 an hour, 100 a day), and per address alone with a much higher
ceiling (LOGIN_ADDRESS_RATE_LIMIT): a stranger elsewhere cannot lock a teacher out, a school behind
one address is not locked out together, and signing in successfully never counts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from ..base import find_control_character, parse_id
from ..errors import error_response, wants_json
from ..extensions import db, limiter, login_manager
from ..models import User
from ..people import operations
from ..permissions import landing_home

bp = Blueprint("auth", __name__)

# Compared against when the email is unknown, so a miss costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class LoginForm(FlaskForm):
    email = EmailField(
        "Email",
        filters=[lambda value: value.strip() if value else value],
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The person a session names ("<id>:<version>", User.get_id), if that session has not been ended."""
    user_id, _, version = session_id.partition(":")
    number = parse_id(user_id)
    if number is None or not version:
        return None
    user = db.session.get(User, number)
    # Compared as text: no parsing of the cookie's number, and an old session (an older version) fails.
    if user is None or not user.active or version != str(user.session_version):
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized() -> ResponseReturnValue:
    if wants_json():
        return error_response(401, "Unauthorized", "Sign in first: this needs an authenticated session.")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


PAIR_LIMIT_MESSAGE = "Too many sign-in attempts for this account from your network."
ADDRESS_LIMIT_MESSAGE = "Too many failed sign-in attempts from your network."


def _pair_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _pair_key() -> str:
    email = request.form.get("email", "").strip().lower()[:254]
    return f"login-pair:{get_remote_address()}:{email}"


def _address_key() -> str:
    return f"login-address:{get_remote_address()}"


def _failed(response: Response) -> bool:
    """Only a wrong email or password counts: a person who signs in is never throttled for it."""
    return response.status_code == 401


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: never redirect a signed-in person to another site."""
    if not target:
        return None
    if find_control_character(target):  # CR/LF would split the Location header; NUL is never a path
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_pair_limit, methods=["POST"], key_func=_pair_key, deduct_when=_failed, error_message=PAIR_LIMIT_MESSAGE)
@limiter.limit(
    _address_limit, methods=["POST"], key_func=_address_key, deduct_when=_failed, error_message=ADDRESS_LIMIT_MESSAGE
)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("homes.index"))
    form = LoginForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            user = authenticate(form.email.data, form.password.data)
            if user is not None:
                session.clear()
                login_user(user)
                operations.record_sign_in(user)
                home = landing_home(user)
                default = url_for("homes.role_home", home=home) if home else url_for("homes.index")
                return redirect(safe_next(request.args.get("next")) or default)
            form.password.errors = [*form.password.errors, "Email or password is not right."]
            status = 401
        else:
            status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    # Signing out ends every session of this person, not only this browser's: a copied cookie, a
    # forgotten session on a shared computer.
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("auth.login"))
