"""Self-assessment pages: one page per domain, saved as you go, submitted when complete."""

from flask import Blueprint

bp = Blueprint("assessment", __name__, url_prefix="/educator/assessment")
