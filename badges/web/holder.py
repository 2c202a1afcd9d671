"""The holder's side: my badges, downloads, sharing (stub: being built)."""

from flask import Blueprint

bp = Blueprint("holder", __name__, url_prefix="/educator/badges")
