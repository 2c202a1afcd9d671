"""One confirmation step for every permanent or destructive action, without JavaScript.

The action's own POST route asks first: when the posted form lacks `confirmed=yes`, the view answers
with a page that says what will happen, repeats every posted field as a hidden input, and offers the
destructive button (which posts the same fields again with `confirmed=yes`) beside a way back. So a
form can never skip the question, and what was typed (a revocation reason, say) survives it.

    @bp.post("/<int:item_id>/delete")
    def delete(item_id):
        item = get_visible_or_404(...)
        asked = confirmation_step(
            title="Delete this evidence?",
            message=f"“{item.title}” will be deleted for good.",
            button="Delete evidence",
            cancel_url=url_for(".show", item_id=item.id),
        )
        if asked:
            return asked
        evidence.delete_evidence(current_user, item)
        ...

Check the form first and ask second: a form with an error goes back to its page with the message,
and only a request that would succeed is asked about. The page answers 200 and changes nothing, so
the request's commit (badges.transactions) has nothing to store.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import render_template, request
from flask.typing import ResponseReturnValue

CONFIRMED_FIELD = "confirmed"
# Fields the confirmation page must not carry forward: it writes a fresh CSRF token of its own.
_NOT_REPEATED = frozenset({"csrf_token", CONFIRMED_FIELD})


def is_confirmed() -> bool:
    return request.form.get(CONFIRMED_FIELD) == "yes"


def confirmation_step(
    *,
    title: str,
    message: str,
    button: str,
    cancel_url: str,
    details: Sequence[str] = (),
    destructive: bool = True,
) -> ResponseReturnValue | None:
    """None when the person already confirmed; otherwise the confirmation page to answer with.

    `details` are further sentences (what stays, what the other person is told); `destructive`
    styles the button as such (False for a permanent but harmless step, like submitting a round)."""
    if is_confirmed():
        return None
    repeated = [(name, value) for name, values in request.form.lists() if name not in _NOT_REPEATED for value in values]
    return render_template(
        "confirm.html",
        title=title,
        message=message,
        details=details,
        button=button,
        cancel_url=cancel_url,
        action=request.path,
        query=request.query_string.decode("ascii", "replace"),
        repeated=repeated,
        destructive=destructive,
    )
