"""The shape of a framework file (seed_frameworks/*.json), checked with marshmallow.

Unknown fields are errors, so a misspelt key is reported instead of silently ignored.
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

CODE = validate.Regexp(r"^[a-z0-9][a-z0-9.-]*$", error="must be lower-case letters, digits, '.' or '-'")
SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]*$", error="must be lower-case letters, digits or '-'")
VERSION = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", error="must be letters, digits, '.', '_' or '-'")
# Names the service's own pages take (/frameworks/drafts/<id>, /frameworks/import, /frameworks/<slug>/events):
# a framework called so could not be reached at its address.
LEVEL_COUNT = 4
RESERVED_SLUGS = validate.NoneOf(("drafts", "import"), error="{input} is the name of one of the service's pages")
RESERVED_VERSIONS = validate.NoneOf(("events",), error="{input} is the name of one of the service's pages")


def _text(max_length: int, **kwargs: Any) -> fields.String:
    return fields.String(validate=[validate.Length(min=1, max=max_length)], **kwargs)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class LevelFileSchema(_Strict):
    value = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=LEVEL_COUNT))
    code = fields.String(required=True, validate=[validate.Length(max=40), CODE])
    name = _text(80, required=True)
    descriptor = _text(2000, required=True)


class RoleFileSchema(_Strict):
    code = fields.String(required=True, validate=[validate.Length(max=80), CODE])
    name = _text(120, required=True)
    description = fields.String(load_default="", validate=validate.Length(max=2000))


class IndicatorFileSchema(_Strict):
    code = fields.String(required=True, validate=[validate.Length(max=40), CODE])
    text = _text(2000, required=True)
    roles = fields.List(fields.String(), required=True, validate=validate.Length(min=1))


class DomainFileSchema(_Strict):
    code = fields.String(required=True, validate=[validate.Length(max=80), CODE])
    name = _text(200, required=True)
    description = fields.String(load_default="", validate=validate.Length(max=4000))
    indicators = fields.List(fields.Nested(IndicatorFileSchema), required=True, validate=validate.Length(min=1))


def _duplicates(values: list) -> list:
    seen, dupes = set(), []
    for value in values:
        if value in seen and value not in dupes:
            dupes.append(value)
        seen.add(value)
    return dupes


class FrameworkFileSchema(_Strict):
    slug = fields.String(required=True, validate=[validate.Length(max=80), SLUG, RESERVED_SLUGS])
    version = fields.String(required=True, validate=[validate.Length(max=40), VERSION, RESERVED_VERSIONS])
    title = _text(200, required=True)
    description = fields.String(load_default="", validate=validate.Length(max=4000))
    source = fields.String(load_default="", validate=validate.Length(max=4000))
    # Four levels: badges, readiness figures and charts are built on a four-level scale (seed 004); a district
    # renames and rewords its levels, it does not change how many there are.
    levels = fields.List(
        fields.Nested(LevelFileSchema),
        required=True,
        validate=validate.Length(equal=LEVEL_COUNT, error="must hold exactly {equal} levels"),
    )
    roles = fields.List(fields.Nested(RoleFileSchema), required=True, validate=validate.Length(min=1))
    domains = fields.List(fields.Nested(DomainFileSchema), required=True, validate=validate.Length(min=1))

    @validates_schema(skip_on_field_errors=True)
    def check_references(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict = {}
        values = [level["value"] for level in data["levels"]]
        if sorted(values) != list(range(1, len(values) + 1)):
            errors["levels"] = [f"level values must be 1..{len(values)} with none missing or repeated, got {values}"]
        for field, items in (("levels", data["levels"]), ("roles", data["roles"]), ("domains", data["domains"])):
            dupes = _duplicates([item["code"] for item in items])
            if dupes:
                errors.setdefault(field, []).append(f"duplicate code(s): {', '.join(dupes)}")
        role_codes = {role["code"] for role in data["roles"]}
        all_indicator_codes = []
        for d_index, domain in enumerate(data["domains"]):
            for i_index, indicator in enumerate(domain["indicators"]):
                all_indicator_codes.append(indicator["code"])
                unknown = [code for code in indicator["roles"] if code not in role_codes]
                if unknown:
                    errors.setdefault("domains", {}).setdefault(d_index, {}).setdefault("indicators", {})[i_index] = {
                        "roles": [
                            f"unknown role code(s): {', '.join(unknown)} (roles are: {', '.join(sorted(role_codes))})"
                        ]
                    }
        dupes = _duplicates(all_indicator_codes)
        if dupes:
            errors.setdefault("domains", {}).setdefault("_indicator_codes", []).append(
                f"indicator codes must be unique across the framework; repeated: {', '.join(dupes)}"
            )
        if errors:
            raise ValidationError(errors)


def flatten_errors(messages: Any, path: str = "") -> list[tuple[str, str]]:
    """Turn marshmallow's nested messages into ("domains[3].indicators[0].roles", "problem") pairs."""
    pairs: list[tuple[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema" or key == "_indicator_codes":
                sub = path
            elif isinstance(key, int):
                sub = f"{path}[{key}]"
            else:
                sub = f"{path}.{key}" if path else str(key)
            pairs.extend(flatten_errors(value, sub))
    elif isinstance(messages, list):
        for item in messages:
            if isinstance(item, (dict, list)):
                pairs.extend(flatten_errors(item, path))
            else:
                pairs.append((path or "(top level)", str(item)))
    else:
        pairs.append((path or "(top level)", str(messages)))
    return pairs
