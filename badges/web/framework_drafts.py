"""Pages for a district's framework drafts: the admins of the district that owns the framework see and
edit its draft, then publish or discard it. Another district's draft answers 404, as if it did not exist.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from ..access import acting_user, admin_required, get_visible_or_404
from ..authoring.publishing import publishing_problems
from ..frameworks.documents import compare_documents, framework_document
from ..models import Framework
from ..visibility import EDITABLE_DRAFT

bp = Blueprint("framework_drafts", __name__, url_prefix="/frameworks/drafts")


def editable_draft(draft_id: int) -> Framework:
    return get_visible_or_404(Framework, draft_id, acting_user(), EDITABLE_DRAFT)


@bp.get("/<int:draft_id>")
@admin_required
def show(draft_id: int):
    draft = editable_draft(draft_id)
    document = framework_document(draft)
    previous = framework_document(draft.based_on) if draft.based_on is not None else None
    return render_template(
        "frameworks/draft.html",
        draft=draft,
        problems=publishing_problems(draft),
        changes=compare_documents(previous, document),
    )
