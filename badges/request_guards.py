"""The one guard every request passes before anything else reads it: what no route can use is refused
here, with 4xx and a message naming where it is, so no view, form, schema or query ever sees it.

- an address (path) with a control character in it names nothing: 404;
- a control character in a query parameter (`next` ends up in a redirect), in a form field's name, in a
  form value (multi-line text keeps tab and line breaks, never NUL) or in an uploaded file's name: 400;
- a JSON body that is malformed, nested more deeply than badges.base.parse_json allows, holds a control
  character in a string (tab and line breaks allowed in values), or a number no id, level or page of this
  service can be (beyond MAX_ID, or not finite): 400;
- `<int:...>` in any route matches only 1..MAX_ID (so an id the database cannot hold answers 404), and
  `request.get_json` anywhere reads through the bounded parser.

PostgreSQL refuses NUL in every text column, and a header or a redirect cannot carry CR or LF: stopping
them at the door is what makes every later layer safe without each repeating the check.
"""

from __future__ import annotations

import math
import re
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask.typing import ResponseReturnValue
from werkzeug.routing import IntegerConverter, Map

from .base import MAX_ID, find_control_character, parse_json
from .errors import error_response

# Any C0 or C1 control character, or DEL: never in an address, a query, a name or a one-line value.
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Multi-line text (form values, JSON strings) may carry tab, LF and CR (browsers send CRLF); nothing else.
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class BoundedIntConverter(IntegerConverter):
    """`<int:x>`: 1..MAX_ID unless a rule says otherwise; anything else does not match (404)."""

    def __init__(
        self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits, 1 if min is None else min, MAX_ID if max is None else max, signed)


class BoundedJSONProvider(DefaultJSONProvider):
    """app.json: what request.get_json reads goes through the bounded parser (depth limited)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return parse_json(s)


def register_request_guards(app: Flask) -> None:
    """Call first in the factory: the converter must exist before any route is added, and the guard must
    run before every other before_request hook (CSRF, rate limits, the views' own parsing)."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.json = BoundedJSONProvider(app)
    app.before_request(refuse_hostile_input)


def _describe(text: str, pattern: re.Pattern[str]) -> str | None:
    match = pattern.search(text)
    if match is None:
        return None
    return find_control_character(match.group()) or f"the control character U+{ord(match.group()):04X}"


def refuse_hostile_input() -> ResponseReturnValue | None:
    problem = _path_problem()
    if problem:
        return error_response(404, "Not Found", problem)
    errors = _query_problems() or _form_problems() or _json_problems()
    if errors:
        first = next(iter(errors.values()))[0]
        return error_response(400, "Bad Request", first, errors)
    return None


def _path_problem() -> str | None:
    found = _describe(request.path, _ANY_CONTROL)
    return f"There is no page at this address: it contains {found}." if found else None


def _query_problems() -> dict[str, list[str]]:
    for name, values in request.args.lists():
        for text in (name, *values):
            found = _describe(text, _ANY_CONTROL)
            if found:
                return {
                    _label(name): [
                        f"The query parameter {_label(name)!r} contains {found}, which is not allowed; remove it."
                    ]
                }
    return {}


def _form_problems() -> dict[str, list[str]]:
    if request.mimetype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return {}
    for name, values in request.form.lists():
        if name is None:  # werkzeug files a multipart part without a name under None; CSRF checks would crash
            return {"form": ["A part of the form has no name; every part needs one."]}
        found = _describe(name, _ANY_CONTROL)
        if found:
            return {_label(name): [f"A form field's name contains {found}, which is not allowed."]}
        for value in values:
            found = _describe(value, _CONTROL_IN_TEXT)
            if found:
                return {name: [f"The field {name!r} contains {found}, which is not allowed; remove it."]}
    for name, uploads in request.files.lists():
        if name is None:
            return {"form": ["A part of the form has no name; every part needs one."]}
        found = _describe(name, _ANY_CONTROL)
        if found:
            return {_label(name): [f"A form field's name contains {found}, which is not allowed."]}
        for upload in uploads:
            found = _describe(upload.filename or "", _ANY_CONTROL)
            if found:
                return {
                    name: [f"The name of the file in {name!r} contains {found}; rename the file and upload it again."]
                }
    return {}


def _json_problems() -> dict[str, list[str]]:
    if not request.is_json:
        return {}
    body = request.get_data(cache=True)
    if not body.strip():
        return {}
    try:
        document = parse_json(body)
    except ValueError as exc:  # malformed, not UTF-8, or nested too deeply
        return {"json": [f"The body is not usable JSON: {exc}"]}
    return _walk(document)


def _walk(document: Any) -> dict[str, list[str]]:
    """The first string or number in the document that no field of this service accepts, keyed by the
    top-level field it is in (as the service's own field errors are), its full path in the message."""
    stack: list[tuple[Any, str, str]] = [(document, "", "json")]
    while stack:
        node, where, field = stack.pop()
        what = _label(where) or "The body"
        if isinstance(node, str):
            found = _describe(node, _CONTROL_IN_TEXT)
            if found:
                return {field: [f"{what} contains {found}, which is not allowed; remove it."]}
        elif isinstance(node, bool) or node is None:
            continue
        elif isinstance(node, (int, float)):
            if not math.isfinite(node) or abs(node) > MAX_ID:
                small = isinstance(node, float) or abs(node) < 10**30
                shown = repr(node) if small else "a number of 30 digits or more"
                return {field: [f"{what} is {shown}, out of range: numbers sent to this service are at most {MAX_ID}."]}
        elif isinstance(node, dict):
            for key, child in node.items():
                path = f"{where}.{key}" if where else key
                found = _describe(key, _ANY_CONTROL)
                if found:
                    return {
                        _label(field if where else key): [
                            f"A key in the JSON ({_label(path)!r}) contains {found}, which is not allowed."
                        ]
                    }
                stack.append((child, path, field if where else _label(key)))
        elif isinstance(node, list):
            stack.extend((child, f"{where}[{i}]", field) for i, child in enumerate(node))
    return {}


def _label(name: str) -> str:
    """A name safe to show and to use as an error key: control characters spelled out."""
    return _ANY_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)[:100]
