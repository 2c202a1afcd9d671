"""Editing a draft in place: the wording of the framework, its levels, domains and key questions, its
professional roles, and which key questions apply to which role.

Every operation takes the acting admin and the draft, checks the draft is theirs to edit
(drafts.require_editable), cleans what was typed with the one text cleaner, flushes, and writes one
`framework.draft_changed` line to the framework's audit stream. A change that changes nothing writes
nothing. Lengths are those of the framework file (badges.frameworks.file_schema), so what the editor
accepts a file could say. A retired key question is deleted from the draft; its code stays taken
(drafts.next_question_code looks at every version), so history matched by code never confuses it with
a new question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..base import InvalidInput, clean_text
from ..extensions import db
from ..frameworks.events import record_framework_event
from ..models import Domain, Framework, Indicator, Level, ProfessionalRole, User
from .drafts import check_version_free, next_question_code, require_editable

TITLE_MAX = 200
VERSION_MAX = 40
LONG_TEXT_MAX = 4000
LEVEL_NAME_MAX = 80
DESCRIPTOR_MAX = 2000
DOMAIN_NAME_MAX = 200
QUESTION_MAX = 2000
ROLE_NAME_MAX = 120
ROLE_DESCRIPTION_MAX = 2000
ROLE_CODE_MAX = 80
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _changed(actor: User, draft: Framework, summary: str) -> None:
    db.session.flush()
    record_framework_event(draft, actor, "framework.draft_changed", summary)


def _in_draft(draft: Framework, item: Level | Domain | Indicator | ProfessionalRole, what: str) -> None:
    if item.framework_id != draft.id:
        raise InvalidInput(f"That {what} is not part of this draft.")


def edit_framework(actor: User, draft: Framework, title: object, description: object, version: object) -> None:
    """The framework's title, description and version label (which no other version may have)."""
    require_editable(actor, draft)
    errors: dict[str, list[str]] = {}
    values = {
        "title": _collect(errors, title, "title", "The title", TITLE_MAX),
        "description": _collect(
            errors, description, "description", "The description", LONG_TEXT_MAX, multiline=True, required=False
        ),
        "version": _collect(errors, version, "version", "The version", VERSION_MAX),
    }
    if values["version"] and not _VERSION.match(values["version"]):
        errors.setdefault("version", []).append(
            "The version must start with a letter or digit and hold only letters, digits, '.', '_' or '-' "
            "(e.g. 2 or 2.1)."
        )
    if errors:
        raise InvalidInput(errors)
    check_version_free(draft.slug, values["version"], draft)
    changed = [field for field in ("title", "description", "version") if getattr(draft, field) != values[field]]
    if not changed:
        return
    draft.title, draft.description, draft.version = values["title"], values["description"], values["version"]
    _changed(actor, draft, f"The framework's {' and '.join(changed)} edited.")


def edit_level(actor: User, draft: Framework, level: Level, name: object, descriptor: object) -> None:
    require_editable(actor, draft)
    _in_draft(draft, level, "level")
    errors: dict[str, list[str]] = {}
    clean_name = _collect(errors, name, "name", "The level's name", LEVEL_NAME_MAX)
    clean_descriptor = _collect(errors, descriptor, "descriptor", "The descriptor", DESCRIPTOR_MAX, multiline=True)
    if errors:
        raise InvalidInput(errors)
    if (level.name, level.descriptor) == (clean_name, clean_descriptor):
        return
    before = level.name
    level.name, level.descriptor = clean_name, clean_descriptor
    _changed(actor, draft, f"Level {level.value} ({before}) edited.")


def edit_domain(actor: User, draft: Framework, domain: Domain, name: object, description: object) -> None:
    require_editable(actor, draft)
    _in_draft(draft, domain, "domain")
    errors: dict[str, list[str]] = {}
    clean_name = _collect(errors, name, "name", "The domain's name", DOMAIN_NAME_MAX)
    clean_description = _collect(
        errors, description, "description", "The description", LONG_TEXT_MAX, multiline=True, required=False
    )
    if errors:
        raise InvalidInput(errors)
    if (domain.name, domain.description) == (clean_name, clean_description):
        return
    before = domain.name
    domain.name, domain.description = clean_name, clean_description
    _changed(actor, draft, f"Domain {domain.position} ({before}) edited.")


def _roles_from_codes(draft: Framework, codes: Iterable[object]) -> list[ProfessionalRole]:
    by_code = {role.code: role for role in draft.roles}
    wanted = list(dict.fromkeys(codes))
    unknown = [str(code) for code in wanted if not isinstance(code, str) or code not in by_code]
    if unknown:
        raise InvalidInput(f"This draft has no role {', '.join(unknown)[:200]}.", "roles")
    if not wanted:
        raise InvalidInput("Choose at least one role the key question applies to.", "roles")
    chosen = {by_code[code] for code in wanted if isinstance(code, str)}
    return [role for role in draft.roles if role in chosen]


def _question_fields(
    draft: Framework, text: object, role_codes: Iterable[object]
) -> tuple[str, list[ProfessionalRole]]:
    """A key question's cleaned text and its roles, or InvalidInput naming every bad field at once."""
    errors: dict[str, list[str]] = {}
    clean = _collect(errors, text, "text", "The key question", QUESTION_MAX, multiline=True)
    roles: list[ProfessionalRole] = []
    try:
        roles = _roles_from_codes(draft, role_codes)
    except InvalidInput as exc:
        errors.setdefault("roles", []).extend(exc.errors.get("roles", []))
    if errors:
        raise InvalidInput(errors)
    return clean, roles


def add_question(
    actor: User, draft: Framework, domain: Domain, text: object, role_codes: Iterable[object]
) -> Indicator:
    """A new key question at the end of `domain`, with a code the framework never used."""
    require_editable(actor, draft)
    _in_draft(draft, domain, "domain")
    clean, roles = _question_fields(draft, text, role_codes)
    question = Indicator(
        framework=draft,
        position=max((ind.position for ind in domain.indicators), default=0) + 1,
        code=next_question_code(draft, domain),
        text=clean,
        roles=roles,
    )
    domain.indicators.append(question)
    _changed(actor, draft, f"Key question {question.code} added to {domain.name}.")
    return question


def edit_question(
    actor: User, draft: Framework, question: Indicator, text: object, role_codes: Iterable[object]
) -> None:
    """Reword a key question and set the roles it applies to."""
    require_editable(actor, draft)
    _in_draft(draft, question, "key question")
    clean, roles = _question_fields(draft, text, role_codes)
    what = []
    if question.text != clean:
        what.append("reworded")
    if [r.id for r in question.roles] != [r.id for r in roles]:
        what.append("roles changed")
    if not what:
        return
    question.text, question.roles = clean, roles
    _changed(actor, draft, f"Key question {question.code} {' and '.join(what)}.")


def retire_question(actor: User, draft: Framework, question: Indicator) -> None:
    """Take a key question out of the draft; its code is never given to another question."""
    require_editable(actor, draft)
    _in_draft(draft, question, "key question")
    code = question.code
    question.domain.indicators.remove(question)
    db.session.delete(question)
    _changed(actor, draft, f"Key question {code} retired.")


def role_code_for(draft: Framework, name: str) -> str:
    """A code slugified from the role's name ("Advance-Upon-Mastery Decision Maker" ->
    "advance-upon-mastery-decision-maker"), made unique in the draft."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[: ROLE_CODE_MAX - 4].strip("-") or "role"
    taken = {role.code for role in draft.roles}
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def add_role(actor: User, draft: Framework, name: object, description: object) -> ProfessionalRole:
    """A new professional role (applying to no key question yet: set_role_questions says which)."""
    require_editable(actor, draft)
    clean_name, clean_description = _role_texts(draft, None, name, description)
    role = ProfessionalRole(
        position=max((r.position for r in draft.roles), default=0) + 1,
        code=role_code_for(draft, clean_name),
        name=clean_name,
        description=clean_description,
    )
    draft.roles.append(role)
    _changed(actor, draft, f"Role added: {clean_name}.")
    return role


def _role_texts(draft: Framework, role: ProfessionalRole | None, name: object, description: object) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    clean_name = _collect(errors, name, "name", "The role's name", ROLE_NAME_MAX)
    clean_description = _collect(
        errors, description, "description", "The description", ROLE_DESCRIPTION_MAX, multiline=True, required=False
    )
    if clean_name and any(r is not role and r.name.casefold() == clean_name.casefold() for r in draft.roles):
        errors.setdefault("name", []).append(f"This draft already has a role named {clean_name}.")
    if errors:
        raise InvalidInput(errors)
    return clean_name, clean_description


def edit_role(actor: User, draft: Framework, role: ProfessionalRole, name: object, description: object) -> None:
    """A role's name and description; its code (what people's records name) stays."""
    require_editable(actor, draft)
    _in_draft(draft, role, "role")
    clean_name, clean_description = _role_texts(draft, role, name, description)
    if (role.name, role.description) == (clean_name, clean_description):
        return
    before = role.name
    role.name, role.description = clean_name, clean_description
    _changed(actor, draft, f"Role {before} edited.")


def remove_role(actor: User, draft: Framework, role: ProfessionalRole) -> None:
    """Take a role out of the draft (and off every key question it applied to)."""
    require_editable(actor, draft)
    _in_draft(draft, role, "role")
    name = role.name
    role.indicators = []
    draft.roles.remove(role)
    db.session.delete(role)
    _changed(actor, draft, f"Role removed: {name}.")


def set_role_questions(actor: User, draft: Framework, role: ProfessionalRole, question_ids: Iterable[object]) -> None:
    """The key questions the role applies to: exactly those with the given ids (of this draft)."""
    require_editable(actor, draft)
    _in_draft(draft, role, "role")
    by_id = {ind.id: ind for d in draft.domains for ind in d.indicators}
    wanted = list(dict.fromkeys(question_ids))
    unknown = [str(i) for i in wanted if not isinstance(i, int) or i not in by_id]
    if unknown:
        raise InvalidInput(f"This draft has no key question {', '.join(unknown)[:200]}.", "questions")
    chosen = {by_id[i] for i in wanted if isinstance(i, int)}
    before = set(role.indicators)
    if chosen == before:
        return
    for question in by_id.values():
        if question in chosen and question not in before:
            question.roles = [r for r in draft.roles if r in {*question.roles, role}]
        elif question not in chosen and question in before:
            question.roles = [r for r in question.roles if r is not role]
    added, removed = len(chosen - before), len(before - chosen)
    _changed(actor, draft, f"Role {role.name}: applies to {added} more and {removed} fewer key question(s).")


def _collect(
    errors: dict[str, list[str]],
    value: object,
    field: str,
    label: str,
    limit: int,
    *,
    multiline: bool = False,
    required: bool = True,
) -> str:
    try:
        return clean_text(value, field=field, label=label, max_length=limit, multiline=multiline, required=required)
    except InvalidInput as exc:
        for name, messages in exc.errors.items():
            errors.setdefault(name, []).extend(messages)
        return ""
