"""View decorators that apply the permission rules (badges.permissions) to a request."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from ..models import SystemRole
from ..permissions import has_role


def role_required(role: SystemRole):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not has_role(current_user, role):
                abort(403, f"This needs the {role.label.lower()} role.")
            return view(*args, **kwargs)
        return wrapped
    return decorator


educator_required = role_required(SystemRole.EDUCATOR)
