"""The printable conference summary and the progress charts."""

from flask import Blueprint

bp = Blueprint("summary", __name__, url_prefix="/educator")
