"""Reading a district's staff. Every query takes the district, so nothing crosses districts.

The admin's staff list (`directory_page`) searches and filters, and pages by keyset on
(name, id) so the 1,000th page costs what the first does; `bench/people.py` measures it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select, tuple_
from sqlalchemy.orm import selectinload

from ..base import InvalidInput, parse_id
from ..extensions import db
from ..models import District, School, SystemRole, User, UserSystemRole

PAGE_SIZE = 50


@dataclass(frozen=True)
class StaffPage:
    users: list[User]
    page: int
    pages: int
    total: int


def staff_page(district: District, page: int = 1, per_page: int = PAGE_SIZE) -> StaffPage:
    total = db.session.scalar(select(func.count(User.id)).where(User.district_id == district.id)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    users = list(
        db.session.scalars(
            select(User)
            .where(User.district_id == district.id)
            .options(selectinload(User.school))
            .order_by(User.name, User.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return StaffPage(users, page, pages, total)


def staff_counts(district: District) -> list[tuple[str, str | None, int]]:
    """(school name or "District office", professional role code, head count), ordered."""
    rows = db.session.execute(
        select(School.name, User.professional_role, func.count(User.id))
        .select_from(User)
        .outerjoin(School, User.school_id == School.id)
        .where(User.district_id == district.id, User.active.is_(True))
        .group_by(School.name, User.professional_role)
    )
    counts = [(school or "District office", role, count) for school, role, count in rows]
    return sorted(counts, key=lambda row: (row[0] == "District office", row[0], row[1] or ""))


# --- the admin's staff list: search, filters, keyset pages --------------------------------------

# The states a person's account can be in, as the staff list filters them.
STATES = {
    "active": "Active",
    "invited": "Invited, not signed in yet",
    "not_invited": "No password, not invited",
    "deactivated": "Deactivated",
}
OFFICE = "office"  # the school filter's value for staff of the district office (no school)
NO_ROLE = "none"  # the professional-role filter's value for staff without one
MAX_QUERY = 100
# Counting every match of a broad filter at 50,000 staff would cost more than the page itself:
# the count stops here and the page says "more than". Only the first page counts, and only when
# it is full (otherwise its length is the count): a search that matches few reads the rows once.
COUNT_CAP = 500


@dataclass(frozen=True)
class StaffFilter:
    """What the staff list is narrowed to; build it with `staff_filter`, which checks every value."""

    q: str = ""
    school: int | str | None = None  # a school id, OFFICE, or None for every school
    professional_role: str | None = None  # a role code, NO_ROLE, or None
    system_role: SystemRole | None = None
    state: str | None = None  # a key of STATES

    def as_args(self) -> dict[str, str]:
        """The filter as query-string values (links to the next page keep it)."""
        values = {
            "q": self.q,
            "school": "" if self.school is None else str(self.school),
            "role": self.professional_role or "",
            "system_role": self.system_role.value if self.system_role else "",
            "state": self.state or "",
        }
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class DirectoryPage:
    users: list[User]
    # The ids the next and previous pages start after / end before (None: there is none).
    next_after: int | None
    prev_before: int | None
    matches: int | None  # how many people match, up to COUNT_CAP (None: not counted, a later page)
    more: bool  # true when more than COUNT_CAP match

    @property
    def first(self) -> bool:
        return self.prev_before is None


def staff_filter(
    district: District,
    q: str | None = None,
    school: str | int | None = None,
    role: str | None = None,
    system_role: str | None = None,
    state: str | None = None,
) -> StaffFilter:
    """The filter from the words a person typed or chose; InvalidInput naming each field that is wrong."""
    errors: dict[str, list[str]] = {}
    text = (q or "").strip()
    if len(text) > MAX_QUERY or "\x00" in text:
        errors["q"] = [f"Search with up to {MAX_QUERY} characters of plain text."]
    school_value: int | str | None = None
    if school not in (None, ""):
        if str(school) == OFFICE:
            school_value = OFFICE
        else:
            number = parse_id(school)
            if number is None or not any(s.id == number for s in district.schools):
                errors["school"] = [f"Choose one of the schools of {district.name}."]
            school_value = number
    role_value = (role or "").strip() or None
    if role_value is not None and role_value != NO_ROLE:
        framework = district.framework
        if framework is None or framework.role(role_value) is None:
            errors["role"] = ["Choose one of the professional roles of the district's framework."]
    system_value = None
    if system_role:
        try:
            system_value = SystemRole(system_role)
        except ValueError:
            errors["system_role"] = ["Choose one of the system roles: " + ", ".join(r.label for r in SystemRole) + "."]
    state_value = (state or "").strip() or None
    if state_value is not None and state_value not in STATES:
        errors["state"] = ["Choose one of the account states: " + ", ".join(STATES.values()) + "."]
    if errors:
        raise InvalidInput(errors)
    return StaffFilter(text, school_value, role_value, system_value, state_value)


def account_state(user: User) -> str:
    """The key of STATES the person's account is in."""
    if not user.active:
        return "deactivated"
    if user.password_hash is not None:
        return "active"
    return "invited" if user.invited_at is not None else "not_invited"


def _matching(district: District, found: StaffFilter) -> Select[Any]:
    query = select(User).where(User.district_id == district.id)
    if found.q:
        query = query.where(
            or_(User.name.icontains(found.q, autoescape=True), User.email.icontains(found.q.lower(), autoescape=True))
        )
    if found.school == OFFICE:
        query = query.where(User.school_id.is_(None))
    elif found.school is not None:
        query = query.where(User.school_id == found.school)
    if found.professional_role == NO_ROLE:
        query = query.where(User.professional_role.is_(None))
    elif found.professional_role is not None:
        query = query.where(User.professional_role == found.professional_role)
    if found.system_role is not None:
        # IN (subquery), not a correlated EXISTS: the holders are read once (SQLite builds a list,
        # PostgreSQL a hash semi-join), not looked up row by row; 5-10x faster for a rare role.
        holders = select(UserSystemRole.user_id).where(UserSystemRole.role == found.system_role)
        query = query.where(User.id.in_(holders))
    if found.state == "deactivated":
        query = query.where(User.active.is_(False))
    elif found.state == "active":
        query = query.where(User.active.is_(True), User.password_hash.is_not(None))
    elif found.state in ("invited", "not_invited"):
        invited = User.invited_at.is_not(None) if found.state == "invited" else User.invited_at.is_(None)
        query = query.where(User.active.is_(True), User.password_hash.is_(None), invited)
    return query


def _anchor(district: District, user_id: int | None) -> tuple[str, int] | None:
    """(name, id) of the person a page cursor names; InvalidInput when it names nobody of the district."""
    if user_id is None:
        return None
    name = db.session.scalar(select(User.name).where(User.id == user_id, User.district_id == district.id))
    if name is None:
        raise InvalidInput("This page link is out of date; start again from the first page.", field="after")
    return name, user_id


def directory_page(
    district: District,
    found: StaffFilter = StaffFilter(),
    *,
    after: int | None = None,
    before: int | None = None,
    per_page: int = PAGE_SIZE,
) -> DirectoryPage:
    """A page of the district's staff in (name, id) order, after or before the person of that id.

    Keyset paging on ix_users_directory (district_id, name, id): a deep page costs what the first
    does, where OFFSET would read and skip every earlier row."""
    query = _matching(district, found)
    key = tuple_(User.name, User.id)
    start, end = _anchor(district, after), _anchor(district, before)
    if end is not None:
        query = query.where(key < tuple_(*end)).order_by(User.name.desc(), User.id.desc())
    else:
        if start is not None:
            query = query.where(key > tuple_(*start))
        query = query.order_by(User.name, User.id)
    users = list(db.session.scalars(query.options(selectinload(User.school)).limit(per_page + 1)))
    extra = len(users) > per_page
    users = users[:per_page]
    if end is not None:
        users.reverse()
        has_next, has_prev = True, extra
    else:
        has_next, has_prev = extra, start is not None
    matches: int | None = None
    if start is None and end is None:
        matches = len(users)
        if extra:
            capped = _matching(district, found).with_only_columns(User.id).limit(COUNT_CAP + 1).subquery()
            matches = db.session.scalar(select(func.count()).select_from(capped)) or 0
    return DirectoryPage(
        users,
        next_after=users[-1].id if has_next and users else None,
        prev_before=users[0].id if has_prev and users else None,
        matches=None if matches is None else min(matches, COUNT_CAP),
        more=matches is not None and matches > COUNT_CAP,
    )


def search_people(district: District, q: str, role: SystemRole | None = None, limit: int = 20) -> list[User]:
    """Up to `limit` of the district's people whose name or email contains `q` (for the pickers)."""
    found = StaffFilter(q=q.strip()[:MAX_QUERY].replace("\x00", ""), system_role=role)
    query = _matching(district, found).order_by(User.name, User.id).limit(limit)
    return list(db.session.scalars(query.options(selectinload(User.school))))
