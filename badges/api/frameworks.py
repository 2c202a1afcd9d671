"""Public framework endpoints."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint

from ..frameworks.queries import get_framework, list_frameworks
from .schemas import FrameworkSchema, FrameworkSummarySchema

blp = Blueprint(
    "frameworks_api",
    __name__,
    url_prefix="/api/v1/frameworks",
    description="Competency frameworks: domains, indicators, levels and professional roles.",
)


@blp.route("/")
class FrameworkList(MethodView):
    @blp.response(200, FrameworkSummarySchema(many=True))
    def get(self) -> Any:
        """Every loaded framework version."""
        return list_frameworks()


@blp.route("/<slug>/<version>")
class FrameworkVersion(MethodView):
    @blp.response(200, FrameworkSchema)
    @blp.alt_response(404, description="No such framework version")
    def get(self, slug: str, version: str) -> Any:
        """One framework version with its levels, roles, domains and indicators."""
        return get_framework(slug, version) or abort(404, f"No framework {slug} version {version}.")
