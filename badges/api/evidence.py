"""API for the signed-in educator's evidence: links (JSON), files (multipart) and downloads.

Another person's evidence answers 404. Field problems answer 400 with {errors: {field: [...]}},
a body over the size limit 413, and evidence a claim cites cannot be deleted (409).
"""

from __future__ import annotations

from typing import Any

from flask import Request, abort, current_app
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import Schema
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from ..access import educator_required, get_visible_or_404
from ..downloads import send_evidence_file
from ..educator import evidence
from ..extensions import db
from ..models import EvidenceItem
from ..visibility import EVIDENCE_FILE
from .evidence_schemas import EvidencePatchSchema, EvidenceSchema, FileCreateSchema, LinkCreateSchema


class _FormAndFilesParser(FlaskParser):
    """Reads the fields and the files of a multipart body together, so one schema documents the
    whole upload (flask-smorest documents a single request body per operation)."""

    def load_files(self, req: Request, schema: Schema) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


blp = Blueprint(
    "evidence_api", __name__, url_prefix="/api/v1/me/evidence", description="The signed-in educator's evidence."
)
blp.ARGUMENTS_PARSER = _FormAndFilesParser()


def _codes(values: list[str]) -> list[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


@blp.route("")
class EvidenceList(MethodView):
    decorators = [educator_required]

    @blp.response(200, EvidenceSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an educator")
    def get(self) -> Any:
        """My evidence, newest first."""
        return evidence.list_evidence(current_user)


@blp.route("/links")
class EvidenceLinks(MethodView):
    decorators = [educator_required]

    @blp.arguments(LinkCreateSchema)
    @blp.response(201, EvidenceSchema)
    @blp.alt_response(400, description="A field is not valid; errors name each")
    def post(self, args: dict[str, Any]) -> Any:
        """Add a link to my evidence."""
        ids = evidence.indicator_ids_for_codes(current_user, args["indicators"])
        item = evidence.add_link(
            current_user, args["title"], args["narrative"], args["url"], ids, in_summary=args["in_summary"]
        )
        return item


@blp.route("/files")
class EvidenceFiles(MethodView):
    decorators = [educator_required]

    @blp.arguments(FileCreateSchema, location="files")
    @blp.response(201, EvidenceSchema)
    @blp.alt_response(400, description="A field or the file is not valid; errors name each")
    @blp.alt_response(413, description="The request is larger than the upload limit")
    def post(self, args: dict[str, Any]) -> Any:
        """Upload a file to my evidence (multipart/form-data). The type is judged by the content."""
        ids = evidence.indicator_ids_for_codes(current_user, _codes(args["indicators"]))
        upload = args["file"]
        data = upload.stream.read(current_app.config["EVIDENCE_MAX_BYTES"] + 1)
        item = evidence.add_file(
            current_user,
            args["title"],
            args["narrative"],
            upload.filename or "",
            data,
            ids,
            in_summary=args["in_summary"],
        )
        return item


@blp.route("/<int:item_id>")
class EvidenceDetail(MethodView):
    decorators = [educator_required]

    @blp.response(200, EvidenceSchema)
    @blp.alt_response(404, description="No such evidence of mine")
    def get(self, item_id: int) -> Any:
        """One item of my evidence."""
        return get_visible_or_404(EvidenceItem, item_id, current_user)

    @blp.arguments(EvidencePatchSchema)
    @blp.response(200, EvidenceSchema)
    @blp.alt_response(400, description="A field is not valid; errors name each")
    @blp.alt_response(404, description="No such evidence of mine")
    def patch(self, args: dict[str, Any], item_id: int) -> Any:
        """Change the title, narrative, web address (links), key questions or summary choice."""
        item = get_visible_or_404(EvidenceItem, item_id, current_user)
        changes: dict[str, Any] = {
            name: args[name] for name in ("title", "narrative", "url", "in_summary") if name in args
        }
        if "indicators" in args:
            changes["indicator_ids"] = evidence.indicator_ids_for_codes(current_user, args["indicators"])
        evidence.update_evidence(current_user, item, **changes)
        return item

    @blp.response(204)
    @blp.alt_response(404, description="No such evidence of mine")
    @blp.alt_response(409, description="A claim cites this evidence")
    def delete(self, item_id: int) -> Any:
        """Delete an item of my evidence (and its file), unless a claim cites it."""
        item = get_visible_or_404(EvidenceItem, item_id, current_user)
        try:
            evidence.delete_evidence(current_user, item)
        except evidence.EvidenceInUse as exc:
            db.session.rollback()
            abort(409, " ".join(message for field in exc.errors.values() for message in field))
        return None


@blp.route("/<int:item_id>/file")
class EvidenceFile(MethodView):
    decorators = [login_required]

    @blp.response(200)
    @blp.doc(
        responses={
            "200": {
                "description": "The file, as an attachment; its detected type is in Content-Type",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    )
    @blp.alt_response(404, description="No such file, or not one this person may see")
    def get(self, item_id: int) -> Any:
        """Download the file of an item of evidence (only people allowed to see it)."""
        return send_evidence_file(get_visible_or_404(EvidenceItem, item_id, current_user, EVIDENCE_FILE))
