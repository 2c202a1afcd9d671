"""API for accounts: an admin invites, sends a reset link, deactivates and reactivates a person of
their district; anyone signed in changes their own password.

The same domain calls as the pages (badges.people.account_links, badges.people.operations), so the
same checks, audit events and mail; another district's person answers 404, a state that refuses the
action (already deactivated, already has a password) 409 with the reason.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_login import current_user, login_required, login_user
from flask_smorest import Blueprint

from ..access import acting_user, admin_required, get_visible_or_404, managed_district
from ..base import StateConflict
from ..credentials.urls import account_link
from ..extensions import limiter
from ..models import User
from ..people import account_links, operations
from ..people.operations import PeopleError
from ..visibility import DISTRICT_MEMBER
from .account_schemas import AccountSchema, PasswordChangeSchema

blp = Blueprint(
    "accounts_api",
    __name__,
    url_prefix="/api/v1/admin/people",
    description="Accounts of your district's people: invitations, reset links, deactivation.",
)
me_blp = Blueprint("my_account_api", __name__, url_prefix="/api/v1/me", description="Your own password.")


def _person(user_id: int) -> tuple[User, User]:
    actor = acting_user()
    managed_district(actor)
    return actor, get_visible_or_404(User, user_id, actor, DISTRICT_MEMBER)


@blp.route("/<int:user_id>/invitation")
class PersonInvitation(MethodView):
    decorators = [admin_required]

    @blp.response(200, AccountSchema)
    @blp.alt_response(404, description="No such person in your district")
    @blp.alt_response(409, description="The person is deactivated, or already has a password")
    def post(self, user_id: int) -> Any:
        """Mail the person a link to choose their password (again, if sent before); it lasts 7 days. Audited."""
        actor, person = _person(user_id)
        account_links.invite(actor, person, account_link)
        return person


@blp.route("/<int:user_id>/password-reset")
class PersonPasswordReset(MethodView):
    decorators = [admin_required]

    @blp.response(200, AccountSchema)
    @blp.alt_response(404, description="No such person in your district")
    @blp.alt_response(409, description="The person is deactivated")
    def post(self, user_id: int) -> Any:
        """Mail the person a link to choose a new password; it lasts 1 hour. Audited."""
        actor, person = _person(user_id)
        account_links.send_reset(person, account_link, actor=actor)
        return person


@blp.route("/<int:user_id>/deactivation")
class PersonDeactivation(MethodView):
    decorators = [admin_required]

    @blp.response(200, AccountSchema)
    @blp.alt_response(404, description="No such person in your district")
    @blp.alt_response(409, description="Already deactivated, or your own account")
    def post(self, user_id: int) -> Any:
        """The person can no longer sign in and every session of theirs ends now; their badges stay valid. Audited."""
        actor, person = _person(user_id)
        try:
            operations.deactivate_user(person, actor=actor)
        except PeopleError as exc:
            raise StateConflict(str(exc)) from None
        return person


@blp.route("/<int:user_id>/reactivation")
class PersonReactivation(MethodView):
    decorators = [admin_required]

    @blp.response(200, AccountSchema)
    @blp.alt_response(404, description="No such person in your district")
    @blp.alt_response(409, description="The account is active")
    def post(self, user_id: int) -> Any:
        """The person may sign in again (sessions from before stay ended). Audited."""
        actor, person = _person(user_id)
        try:
            operations.reactivate_user(person, actor=actor)
        except PeopleError as exc:
            raise StateConflict(str(exc)) from None
        return person


def _account_key() -> str:
    return f"password-change:{current_user.id}" if current_user.is_authenticated else "password-change:anonymous"


@me_blp.route("/password")
class MyPassword(MethodView):
    decorators = [
        limiter.shared_limit(
            lambda: current_app.config["LOGIN_RATE_LIMIT"],
            scope="password-change",  # the page's counter too (badges.web.passwords)
            key_func=_account_key,
            error_message="Too many password changes tried for this account.",
        ),
        login_required,
    ]

    @me_blp.arguments(PasswordChangeSchema)
    @me_blp.response(204)
    @me_blp.alt_response(400, description="The current password is not right, or the new one is refused (named)")
    @me_blp.alt_response(401, description="Not signed in")
    def post(self, data: dict[str, Any]) -> None:
        """Change your password. Every other session of yours ends; this one goes on. Audited."""
        person = acting_user()
        operations.change_own_password(person, data["current_password"], data["new_password"])
        login_user(person)  # this session now names the new session version
        return None
