"""Signing in and out. Failed attempts are rate-limited per client and per account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from ..base import find_control_character
from ..errors import error_response, wants_json
from ..extensions import db, limiter, login_manager
from ..models import User
from ..permissions import landing_home

bp = Blueprint("auth", __name__)

# Compared against when the email is unknown, so a miss costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class LoginForm(FlaskForm):
    email = EmailField("Email", filters=[lambda value: value.strip() if value else value], validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        return error_response(401, "Unauthorized", "Sign in first: this needs an authenticated session.")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _email_key() -> str:
    return "login-email:" + request.form.get("email", "").strip().lower()[:254]


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
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_email_key)
def login():
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
def logout():
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("auth.login"))
