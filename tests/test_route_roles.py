"""Every route x every system role (and anonymous) -> the expected status.

The table must name every rule in the app's URL map: a new route without a row fails
`test_every_route_is_in_the_table`, so no page ships without its access rule being tested.
Paths with {goal}, {link}, {file}, {assessment} and {claim} point at objects owned by the educator, so
the owner's success is tested as well as everyone else's refusal. The validator's scope covers the
educator's claim, so "validator" means a validator in scope; {conflict} is one the admin recorded.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from badges.catalogue.badge_classes import role_indicators
from badges.credentials.keys import active_key
from badges.educator import assessments, evidence, goals
from badges.extensions import db
from badges.models import BadgeClass, District, KeyAlgorithm, SystemRole, User
from badges.people import scope
from badges.permissions import readiness_scope
from badges.readiness import cohorts, targets
from badges.validation import claims, reviews
from tests.calibration_setup import make_set, open_round
from tests.conftest import USER_PASSWORD as PASSWORD
from tests.conftest import USER_PASSWORD_HASH as PASSWORD_HASH
from tests.conftest import csrf_token_from, shared_world
from tests.framework_setup import framework_world_ids

FW = "/frameworks/cbe-educator-competencies/1.0"
API_FW = "/api/v1/frameworks/cbe-educator-competencies/1.0"
ROLES = ["anonymous", "educator", "validator", "district_leader", "admin"]
# The smallest PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def row(anonymous, educator, validator, district_leader, admin):
    return dict(zip(ROLES, (anonymous, educator, validator, district_leader, admin), strict=True))


EVERYONE_200 = row(200, 200, 200, 200, 200)
EDUCATOR_PAGE = row(302, 200, 403, 403, 403)  # educator-only page: others refused, anonymous sent to sign in


def educator_page(status):
    return row(302, status, 403, 403, 403)


def educator_api(status):
    return row(401, status, 403, 403, 403)


def validator_page(status):
    return row(302, 403, status, 403, 403)


def validator_api(status):
    return row(401, 403, status, 403, 403)


def leader_page(status):
    return row(302, 403, 403, status, 403)


def leader_api(status):
    return row(401, 403, 403, status, 403)


def admin_page(status):
    return row(302, 403, 403, 403, status)


def admin_api(status):
    return row(401, 403, 403, 403, status)


# (endpoint, method, path) -> expected status per role
TABLE = {
    ("homes.index", "GET", "/"): row(200, 302, 302, 302, 302),
    ("auth.login", "GET", "/login"): row(200, 302, 302, 302, 302),
    ("auth.login", "POST", "/login"): row(400, 302, 302, 302, 302),
    ("auth.logout", "POST", "/logout"): row(302, 302, 302, 302, 302),
    ("homes.role_home", "GET", "/home/educator"): row(302, 200, 403, 403, 403),
    ("homes.role_home", "GET", "/home/validator"): row(302, 403, 200, 403, 403),
    ("homes.role_home", "GET", "/home/leader"): row(302, 403, 403, 200, 403),
    ("homes.role_home", "GET", "/home/admin"): row(302, 403, 403, 403, 200),
    ("homes.role_home", "GET", "/home/nobody"): row(302, 404, 404, 404, 404),
    ("homes.role_home", "GET", "/home/school"): row(302, 403, 403, 403, 403),  # the table's school leader has no school
    ("frameworks.index", "GET", "/frameworks/"): EVERYONE_200,
    ("frameworks.show", "GET", FW): EVERYONE_200,
    ("frameworks.show", "GET", "/frameworks/cbe-educator-competencies/9.9"): row(404, 404, 404, 404, 404),
    ("frameworks.domain", "GET", FW + "/domains/delivery-operations"): EVERYONE_200,
    ("frameworks.domain", "GET", FW + "/domains/nope"): row(404, 404, 404, 404, 404),
    ("static", "GET", "/static/style.css"): EVERYONE_200,
    # Self-assessment, progress, conference summary (pages)
    ("assessment.overview", "GET", "/educator/assessment/"): EDUCATOR_PAGE,
    ("assessment.start", "POST", "/educator/assessment/start"): educator_page(302),
    ("assessment.domain", "GET", "/educator/assessment/domains/engagement-communication"): EDUCATOR_PAGE,
    ("assessment.domain", "POST", "/educator/assessment/domains/engagement-communication"): educator_page(302),
    ("assessment.domain", "GET", "/educator/assessment/domains/nope"): educator_page(404),
    ("assessment.submit", "POST", "/educator/assessment/submit"): educator_page(400),  # the draft is incomplete
    ("assessment.round_page", "GET", "/educator/assessment/rounds/{assessment}"): educator_page(302),  # a draft
    ("assessment.round_page", "GET", "/educator/assessment/rounds/999999"): educator_page(404),
    ("summary.progress", "GET", "/educator/progress"): EDUCATOR_PAGE,
    ("summary.conference", "GET", "/educator/summary"): EDUCATOR_PAGE,
    # Goals (pages)
    ("goals.index", "GET", "/educator/goals/"): EDUCATOR_PAGE,
    ("goals.new", "GET", "/educator/goals/new"): EDUCATOR_PAGE,
    ("goals.new", "POST", "/educator/goals/new"): educator_page(400),  # an empty form
    ("goals.edit", "GET", "/educator/goals/{goal}/edit"): EDUCATOR_PAGE,
    ("goals.edit", "POST", "/educator/goals/{goal}/edit"): educator_page(400),
    ("goals.edit", "GET", "/educator/goals/999999/edit"): educator_page(404),
    ("goals.delete", "POST", "/educator/goals/{goal}/delete"): educator_page(200),  # the confirmation step
    # Evidence (pages). The file is the owner's alone: everyone else gets 404, as if it did not exist.
    ("evidence.index", "GET", "/educator/evidence/"): EDUCATOR_PAGE,
    ("evidence.new_link", "GET", "/educator/evidence/new-link"): EDUCATOR_PAGE,
    ("evidence.new_link", "POST", "/educator/evidence/new-link"): educator_page(400),
    ("evidence.new_file", "GET", "/educator/evidence/new-file"): EDUCATOR_PAGE,
    ("evidence.new_file", "POST", "/educator/evidence/new-file"): educator_page(400),
    ("evidence.show", "GET", "/educator/evidence/{link}"): EDUCATOR_PAGE,
    ("evidence.show", "GET", "/educator/evidence/999999"): educator_page(404),
    ("evidence.edit", "GET", "/educator/evidence/{link}/edit"): EDUCATOR_PAGE,
    ("evidence.edit", "POST", "/educator/evidence/{link}/edit"): educator_page(400),
    # 200: the confirmation page (badges.web.confirm); nothing is deleted until it is confirmed
    ("evidence.delete", "POST", "/educator/evidence/{link}/delete"): educator_page(200),
    ("evidence.download", "GET", "/educator/evidence/{file}/file"): row(302, 200, 404, 404, 404),
    # A preview is the owner's (and the reviewing validator's, in tests/test_review_page.py); a PDF has none.
    ("evidence.preview", "GET", "/educator/evidence/{image}/preview"): row(302, 200, 404, 404, 404),
    ("evidence.preview", "GET", "/educator/evidence/{cited}/preview"): row(302, 404, 404, 404, 404),
    # JSON API
    ("frameworks_api.FrameworkList", "GET", "/api/v1/frameworks/"): EVERYONE_200,
    ("frameworks_api.FrameworkVersion", "GET", API_FW): EVERYONE_200,
    ("me_api.Me", "GET", "/api/v1/me"): row(401, 200, 200, 200, 200),
    ("me_api.MyProgress", "GET", "/api/v1/me/progress"): educator_api(200),
    ("me_api.MyConferenceSummary", "GET", "/api/v1/me/summary"): educator_api(200),
    ("api-docs.openapi_json", "GET", "/api/v1/openapi.json"): EVERYONE_200,
    ("assessments_api.AssessmentList", "GET", "/api/v1/me/assessments"): educator_api(200),
    ("assessments_api.AssessmentList", "POST", "/api/v1/me/assessments"): educator_api(201),
    ("assessments_api.AssessmentItem", "GET", "/api/v1/me/assessments/{assessment}"): educator_api(200),
    ("assessments_api.AssessmentItem", "GET", "/api/v1/me/assessments/999999"): educator_api(404),
    ("assessments_api.AssessmentRatings", "PUT", "/api/v1/me/assessments/{assessment}/ratings"): educator_api(422),
    ("assessments_api.AssessmentHistory", "GET", "/api/v1/me/assessments/{assessment}/history"): educator_api(200),
    ("assessments_api.AssessmentSubmit", "POST", "/api/v1/me/assessments/{assessment}/submit"): educator_api(400),
    ("goals_api.GoalList", "GET", "/api/v1/me/goals"): educator_api(200),
    ("goals_api.GoalList", "POST", "/api/v1/me/goals"): educator_api(422),
    ("goals_api.GoalItem", "GET", "/api/v1/me/goals/{goal}"): educator_api(200),
    ("goals_api.GoalItem", "PATCH", "/api/v1/me/goals/{goal}"): educator_api(200),
    ("goals_api.GoalItem", "DELETE", "/api/v1/me/goals/{goal}"): educator_api(204),
    ("goals_api.GoalItem", "GET", "/api/v1/me/goals/999999"): educator_api(404),
    ("evidence_api.EvidenceList", "GET", "/api/v1/me/evidence"): educator_api(200),
    ("evidence_api.EvidenceLinks", "POST", "/api/v1/me/evidence/links"): educator_api(422),
    ("evidence_api.EvidenceFiles", "POST", "/api/v1/me/evidence/files"): educator_api(422),
    ("evidence_api.EvidenceDetail", "GET", "/api/v1/me/evidence/{link}"): educator_api(200),
    ("evidence_api.EvidenceDetail", "PATCH", "/api/v1/me/evidence/{link}"): educator_api(200),
    ("evidence_api.EvidenceDetail", "DELETE", "/api/v1/me/evidence/{link}"): educator_api(204),
    ("evidence_api.EvidenceFile", "GET", "/api/v1/me/evidence/{file}/file"): row(401, 200, 404, 404, 404),
    # The file a claim cites: the validator reviewing that claim may download it, nobody else.
    ("evidence.download", "GET", "/educator/evidence/{cited}/file"): row(302, 200, 200, 404, 404),
    ("evidence_api.EvidenceFile", "GET", "/api/v1/me/evidence/{cited}/file"): row(401, 200, 200, 404, 404),
    # Badge images are public.
    ("badge_images.image", "GET", "/badge-classes/{badge}/image.svg"): EVERYONE_200,
    ("badge_images.image", "GET", "/badge-classes/999999/image.svg"): row(404, 404, 404, 404, 404),
    # The Achievement id every credential names: a page, or JSON-LD by content negotiation.
    ("badge_images.achievement", "GET", "/badge-classes/{badge}"): EVERYONE_200,
    ("badge_images.achievement", "GET", "/badge-classes/999999"): row(404, 404, 404, 404, 404),
    # Public documents verifiers dereference: keys, issuer profiles, status lists, shared badges, OB 2.0.
    ("issuers.jwks", "GET", "/.well-known/jwks.json"): EVERYONE_200,
    ("issuers.jwt_key", "GET", "/keys/{jwt_kid}"): EVERYONE_200,
    ("issuers.jwt_key", "GET", "/keys/{di_kid}"): row(404, 404, 404, 404, 404),  # not a JWT key
    ("issuers.jwt_key", "GET", "/keys/nope"): row(404, 404, 404, 404, 404),
    ("issuers.issuer", "GET", "/issuers/table"): EVERYONE_200,
    ("issuers.issuer", "GET", "/issuers/nope"): row(404, 404, 404, 404, 404),
    ("issuers.verification_method", "GET", "/issuers/table/keys/{di_kid}"): EVERYONE_200,
    ("issuers.verification_method", "GET", "/issuers/table/keys/{jwt_kid}"): row(404, 404, 404, 404, 404),
    ("issuers.revocation_list", "GET", "/issuers/table/status/revocation"): EVERYONE_200,
    ("issuers.revocation_list_jwt", "GET", "/issuers/table/status/revocation.jwt"): EVERYONE_200,
    ("public_badges.show", "GET", "/credentials/{uuid}"): EVERYONE_200,
    ("issuers.jwt_key", "GET", "/keys/a%00b"): row(404, 404, 404, 404, 404),  # NUL: never reaches the database
    ("issuers.issuer", "GET", "/issuers/a%00b"): row(404, 404, 404, 404, 404),
    ("ob2.issuer", "GET", "/ob2/issuers/a%00b"): row(404, 404, 404, 404, 404),
    # Verification: for anyone, no account.
    ("verify.page", "GET", "/verify"): EVERYONE_200,
    ("verify.page", "GET", "/verify?credential={uuid}"): EVERYONE_200,
    ("verify.page", "POST", "/verify"): row(400, 400, 400, 400, 400),  # nothing to verify
    ("verify_api.Verify", "POST", "/api/v1/verify"): row(422, 422, 422, 422, 422),
    ("public_badges.show", "GET", "/credentials/not-a-uuid"): row(404, 404, 404, 404, 404),
    ("badge_images.image_png", "GET", "/badge-classes/{badge}/image.png"): EVERYONE_200,
    ("ob2.assertion", "GET", "/ob2/assertions/{uuid}"): EVERYONE_200,
    ("ob2.badge_class", "GET", "/ob2/badge-classes/{badge}?issuer=table"): EVERYONE_200,
    ("ob2.issuer", "GET", "/ob2/issuers/table"): EVERYONE_200,
    # Revocation: a validator in scope (their page), an admin (the awards page), either through the API.
    ("reviews.revoke", "POST", "/validator/claims/{approved}/revoke"): validator_page(400),  # no reason given
    ("reviews.revoke", "POST", "/validator/claims/{claim}/revoke"): validator_page(409),  # not awarded
    ("admin.awards", "GET", "/admin/awards"): admin_page(200),
    ("admin.revoke_award", "POST", "/admin/awards/{award}/revoke"): admin_page(400),
    ("admin.revoke_award", "POST", "/admin/awards/999999/revoke"): admin_page(404),
    ("revocation_api.AwardRevoke", "POST", "/api/v1/awards/{award}/revoke"): row(401, 422, 422, 422, 422),
    # The holder's badges (pages and API): the owner's alone.
    ("holder.show", "GET", "/educator/badges/{award}"): EDUCATOR_PAGE,
    ("holder.show", "GET", "/educator/badges/999999"): educator_page(404),
    ("holder.name", "POST", "/educator/badges/{award}/name"): educator_page(302),
    ("holder.on_profile", "POST", "/educator/badges/{award}/profile"): educator_page(302),
    ("holder.profile", "POST", "/educator/badges/profile"): educator_page(302),
    ("public_badges.profile", "GET", "/profiles/{profile}"): EVERYONE_200,
    ("public_badges.profile", "GET", "/profiles/00000000-0000-4000-8000-000000000000"): row(404, 404, 404, 404, 404),
    ("holder.download_jwt", "GET", "/educator/badges/{award}/credential.jwt"): EDUCATOR_PAGE,
    ("holder.download_json", "GET", "/educator/badges/{award}/credential.json"): EDUCATOR_PAGE,
    ("holder.download_png", "GET", "/educator/badges/{award}/badge.png"): EDUCATOR_PAGE,
    ("holder.download_svg", "GET", "/educator/badges/{award}/badge.svg"): EDUCATOR_PAGE,
    ("holder.download_ob2_png", "GET", "/educator/badges/{award}/ob2-badge.png"): EDUCATOR_PAGE,
    ("holder_api.HolderBadgeList", "GET", "/api/v1/me/badges"): educator_api(200),
    ("holder_api.HolderProfile", "GET", "/api/v1/me/badges/profile"): educator_api(200),
    ("holder_api.HolderProfile", "PUT", "/api/v1/me/badges/profile"): educator_api(422),  # "public" is required
    ("holder_api.HolderBadge", "GET", "/api/v1/me/badges/{award}"): educator_api(200),
    ("holder_api.HolderBadge", "GET", "/api/v1/me/badges/999999"): educator_api(404),
    ("holder_api.HolderBadge", "PATCH", "/api/v1/me/badges/{award}"): educator_api(200),
    ("holder_api.HolderJwt", "GET", "/api/v1/me/badges/{award}/credential.jwt"): educator_api(200),
    ("holder_api.HolderJson", "GET", "/api/v1/me/badges/{award}/credential.json"): educator_api(200),
    # Claims (pages and API): the educator's own.
    ("claims.index", "GET", "/educator/claims/"): EDUCATOR_PAGE,
    ("claims.new", "GET", "/educator/claims/new"): EDUCATOR_PAGE,
    ("claims.new", "POST", "/educator/claims/new"): educator_page(400),  # an empty form
    ("claims.show", "GET", "/educator/claims/{claim}"): EDUCATOR_PAGE,
    ("claims.show", "GET", "/educator/claims/999999"): educator_page(404),
    ("claims.resubmit", "POST", "/educator/claims/{claim}/resubmit"): educator_page(409),  # still awaiting review
    ("claims.withdraw", "POST", "/educator/claims/{claim}/withdraw"): educator_page(200),  # the confirmation step
    ("catalogue.index", "GET", "/educator/badges/catalogue"): EDUCATOR_PAGE,
    ("claims_api.MyCatalogue", "GET", "/api/v1/me/catalogue"): educator_api(200),
    ("claims.read_notifications", "POST", "/educator/claims/notifications/read"): educator_page(302),
    ("claims_api.ClaimableBadgeClasses", "GET", "/api/v1/me/badge-classes"): educator_api(200),
    ("claims_api.ClaimList", "GET", "/api/v1/me/claims"): educator_api(200),
    ("claims_api.ClaimList", "POST", "/api/v1/me/claims"): educator_api(422),
    ("claims_api.ClaimItem", "GET", "/api/v1/me/claims/{claim}"): educator_api(200),
    ("claims_api.ClaimItem", "GET", "/api/v1/me/claims/999999"): educator_api(404),
    ("claims_api.ClaimResubmit", "POST", "/api/v1/me/claims/{claim}/resubmit"): educator_api(422),
    ("claims_api.ClaimWithdraw", "POST", "/api/v1/me/claims/{claim}/withdraw"): educator_api(200),
    ("claims_api.MyAwards", "GET", "/api/v1/me/awards"): educator_api(200),
    ("claims_api.MyNotifications", "GET", "/api/v1/me/notifications"): educator_api(200),
    ("claims_api.NotificationsRead", "POST", "/api/v1/me/notifications/read"): educator_api(204),
    # Review (pages and API): validators, within their scope.
    ("reviews.queue", "GET", "/validator/claims/"): validator_page(200),
    ("reviews.show", "GET", "/validator/claims/{claim}"): validator_page(200),
    ("reviews.show", "GET", "/validator/claims/999999"): validator_page(404),
    ("reviews.decide", "POST", "/validator/claims/{claim}/decision"): validator_page(400),  # no revision, no decision
    ("reviews_api.ReviewQueue", "GET", "/api/v1/reviews/queue"): validator_api(200),
    ("reviews_api.ReviewClaim", "GET", "/api/v1/reviews/claims/{claim}"): validator_api(200),
    ("reviews_api.ReviewClaim", "GET", "/api/v1/reviews/claims/999999"): validator_api(404),
    ("reviews_api.ReviewDecisionView", "POST", "/api/v1/reviews/claims/{claim}/decision"): validator_api(422),
    # Administration of validation (pages and API): the district's admins.
    ("admin.validators", "GET", "/admin/validators"): admin_page(200),
    ("admin.scope", "GET", "/admin/validators/{validator}/scope"): admin_page(200),
    ("admin.scope", "GET", "/admin/validators/999999/scope"): admin_page(404),
    ("admin.scope", "POST", "/admin/validators/{validator}/scope"): admin_page(302),  # an empty scope is valid
    ("admin.conflicts", "GET", "/admin/conflicts"): admin_page(200),
    ("admin.conflicts", "POST", "/admin/conflicts"): admin_page(400),
    ("admin.remove_conflict", "POST", "/admin/conflicts/{conflict}/remove"): admin_page(302),
    ("admin.remove_conflict", "POST", "/admin/conflicts/999999/remove"): admin_page(404),
    ("admin.audit", "GET", "/admin/audit"): admin_page(200),
    ("admin.audit_csv", "GET", "/admin/audit.csv"): admin_page(200),
    ("admin_api.ValidatorList", "GET", "/api/v1/admin/validators"): admin_api(200),
    ("admin_api.ValidatorScopeItem", "GET", "/api/v1/admin/validators/{validator}/scope"): admin_api(200),
    ("admin_api.ValidatorScopeItem", "GET", "/api/v1/admin/validators/999999/scope"): admin_api(404),
    ("admin_api.ValidatorScopeItem", "PUT", "/api/v1/admin/validators/{validator}/scope"): admin_api(422),
    ("admin_api.ConflictList", "GET", "/api/v1/admin/conflicts"): admin_api(200),
    ("admin_api.ConflictList", "POST", "/api/v1/admin/conflicts"): admin_api(422),
    ("admin_api.ConflictItem", "DELETE", "/api/v1/admin/conflicts/{conflict}"): admin_api(204),
    ("admin_api.ConflictItem", "DELETE", "/api/v1/admin/conflicts/999999"): admin_api(404),
    ("admin_api.AuditLog", "GET", "/api/v1/admin/audit"): admin_api(200),
    ("admin_api.AuditCsv", "GET", "/api/v1/admin/audit.csv"): admin_api(200),
    # Readiness: the district's leaders (the table's staff all work in the district office, school 0).
    ("readiness.dashboard", "GET", "/readiness"): leader_page(200),
    ("readiness.dashboard", "GET", "/readiness?view=gap&school=0&role=teacher"): leader_page(200),
    ("readiness.dashboard", "GET", "/readiness?school=999999"): leader_page(404),
    ("readiness.dashboard", "GET", "/readiness?view=nope"): leader_page(400),
    ("readiness.dashboard_csv", "GET", "/readiness.csv?view=self"): leader_page(200),
    ("readiness.cell", "GET", "/readiness/cell?school=0&domain=delivery-operations&view=self"): leader_page(200),
    ("readiness.cell", "GET", "/readiness/cell?school=999999&domain=delivery-operations"): leader_page(404),
    ("readiness.cell_csv", "GET", "/readiness/cell.csv?school=0&domain=delivery-operations"): leader_page(200),
    ("readiness_api.Readiness", "GET", "/api/v1/readiness?view=trend"): leader_api(200),
    ("readiness_api.Readiness", "GET", "/api/v1/readiness?school=999999"): leader_api(404),
    ("readiness_api.ReadinessCell", "GET", "/api/v1/readiness/cell?school=0&domain=delivery-operations"): leader_api(
        200
    ),
    # Ending a person's sessions: the district's admins, for a person of their district.
    ("admin.sign_out_everywhere", "POST", "/admin/people/{validator}/sign-out-everywhere"): admin_page(302),
    ("admin.sign_out_everywhere", "POST", "/admin/people/999999/sign-out-everywhere"): admin_page(404),
    ("admin_api.PersonSignOut", "POST", "/api/v1/admin/people/{validator}/sign-out-everywhere"): admin_api(204),
    ("admin_api.PersonSignOut", "POST", "/api/v1/admin/people/999999/sign-out-everywhere"): admin_api(404),
    # Passwords: anyone may ask for a reset link; a bad link is a page that says so; your own, signed in.
    ("passwords.forgot_password", "GET", "/forgot-password"): EVERYONE_200,
    ("passwords.forgot_password", "POST", "/forgot-password"): row(400, 400, 400, 400, 400),  # no address
    ("passwords.reset_password", "GET", "/reset-password/not-a-token"): row(400, 400, 400, 400, 400),
    ("passwords.reset_password", "POST", "/reset-password/not-a-token"): row(400, 400, 400, 400, 400),
    ("passwords.invitation", "GET", "/invitation/not-a-token"): row(400, 400, 400, 400, 400),
    ("passwords.invitation", "POST", "/invitation/not-a-token"): row(400, 400, 400, 400, 400),
    ("passwords.change_password", "GET", "/account/password"): row(302, 200, 200, 200, 200),
    ("passwords.change_password", "POST", "/account/password"): row(302, 400, 400, 400, 400),  # an empty form
    ("my_account_api.MyPassword", "POST", "/api/v1/me/password"): row(401, 422, 422, 422, 422),
    # Account actions: the district's admins, for a person of their district ({validator} has a password).
    ("accounts.invite", "POST", "/admin/people/{validator}/invite"): admin_page(409),
    ("accounts.invite", "POST", "/admin/people/999999/invite"): admin_page(404),
    ("accounts.send_reset", "POST", "/admin/people/{validator}/send-reset"): admin_page(302),
    ("accounts.send_reset", "POST", "/admin/people/999999/send-reset"): admin_page(404),
    ("accounts.deactivate", "POST", "/admin/people/{validator}/deactivate"): admin_page(200),  # the question
    ("accounts.deactivate", "POST", "/admin/people/999999/deactivate"): admin_page(404),
    ("accounts.reactivate", "POST", "/admin/people/{validator}/reactivate"): admin_page(409),  # still active
    ("accounts.reactivate", "POST", "/admin/people/999999/reactivate"): admin_page(404),
    ("accounts_api.PersonInvitation", "POST", "/api/v1/admin/people/{validator}/invitation"): admin_api(409),
    ("accounts_api.PersonInvitation", "POST", "/api/v1/admin/people/999999/invitation"): admin_api(404),
    ("accounts_api.PersonPasswordReset", "POST", "/api/v1/admin/people/{validator}/password-reset"): admin_api(200),
    ("accounts_api.PersonDeactivation", "POST", "/api/v1/admin/people/{validator}/deactivation"): admin_api(200),
    ("accounts_api.PersonDeactivation", "POST", "/api/v1/admin/people/999999/deactivation"): admin_api(404),
    ("accounts_api.PersonReactivation", "POST", "/api/v1/admin/people/{validator}/reactivation"): admin_api(409),
    # The staff pages and the roster upload: the district's admins, for people of their district.
    ("people.index", "GET", "/admin/people"): admin_page(200),
    ("people.index", "GET", "/admin/people?q=x&state=active&system_role=validator"): admin_page(200),
    ("people.index", "GET", "/admin/people?state=nope"): admin_page(400),
    ("people.search", "GET", "/admin/people/search?q=val&role=validator"): admin_page(200),
    ("people.new", "GET", "/admin/people/new"): admin_page(200),
    ("people.new", "POST", "/admin/people/new"): admin_page(400),  # an empty form
    ("people.show", "GET", "/admin/people/{validator}"): admin_page(200),
    ("people.show", "GET", "/admin/people/999999"): admin_page(404),
    ("people.edit", "GET", "/admin/people/{validator}/edit"): admin_page(200),
    ("people.edit", "POST", "/admin/people/{validator}/edit"): admin_page(400),  # an empty form
    ("people.edit", "GET", "/admin/people/999999/edit"): admin_page(404),
    ("people_import.upload", "GET", "/admin/people/import"): admin_page(200),
    ("people_import.preview", "POST", "/admin/people/import"): admin_page(400),  # no file
    ("people_import.apply", "POST", "/admin/people/import/apply"): admin_page(400),  # no carried file
    ("people_api.StaffList", "GET", "/api/v1/admin/people?q=val&state=active"): admin_api(200),
    ("people_api.StaffList", "GET", "/api/v1/admin/people?cursor=999999"): admin_api(400),
    ("people_api.StaffList", "POST", "/api/v1/admin/people"): admin_api(422),
    ("people_api.StaffMember", "GET", "/api/v1/admin/people/{validator}"): admin_api(200),
    ("people_api.StaffMember", "GET", "/api/v1/admin/people/999999"): admin_api(404),
    ("people_api.StaffMember", "PATCH", "/api/v1/admin/people/{validator}"): admin_api(200),  # nothing to change
    ("people_api.StaffMember", "PATCH", "/api/v1/admin/people/999999"): admin_api(404),
    ("people_api.Roster", "POST", "/api/v1/admin/roster"): admin_api(422),
    # Planning support (pages and API): district and school leaders, within their readiness scope.
    ("readiness_plans.target_list", "GET", "/readiness/targets"): leader_page(200),
    ("readiness_plans.target_list", "POST", "/readiness/targets"): leader_page(400),  # an empty form
    ("readiness_plans.target_delete", "POST", "/readiness/targets/{target}/delete"): leader_page(302),
    ("readiness_plans.target_delete", "POST", "/readiness/targets/999999/delete"): leader_page(404),
    ("readiness_plans.next_steps_page", "GET", "/readiness/next-steps?domain=delivery-operations"): leader_page(200),
    ("readiness_plans.next_steps_page", "GET", "/readiness/next-steps?domain=x&school=999999"): leader_page(404),
    ("readiness_plans.cohort_list", "GET", "/readiness/cohorts"): leader_page(200),
    ("readiness_plans.cohort_list", "POST", "/readiness/cohorts"): leader_page(400),
    ("readiness_plans.cohort_show", "GET", "/readiness/cohorts/{cohort}"): leader_page(200),
    ("readiness_plans.cohort_show", "GET", "/readiness/cohorts/999999"): leader_page(404),
    ("readiness_plans.cohort_delete", "POST", "/readiness/cohorts/{cohort}/delete"): leader_page(302),
    ("readiness_plans.sharing", "POST", "/me/self-assessment-sharing"): educator_page(302),
    ("readiness_plans_api.TargetList", "GET", "/api/v1/readiness/targets"): leader_api(200),
    ("readiness_plans_api.TargetList", "POST", "/api/v1/readiness/targets"): leader_api(422),
    ("readiness_plans_api.TargetItem", "DELETE", "/api/v1/readiness/targets/{target}"): leader_api(204),
    ("readiness_plans_api.TargetItem", "DELETE", "/api/v1/readiness/targets/999999"): leader_api(404),
    ("readiness_plans_api.NextSteps", "GET", "/api/v1/readiness/next-steps?domain=delivery-operations"): leader_api(
        200
    ),
    ("readiness_plans_api.NextSteps", "GET", "/api/v1/readiness/next-steps"): leader_api(422),  # no domain
    ("readiness_plans_api.CohortList", "GET", "/api/v1/readiness/cohorts"): leader_api(200),
    ("readiness_plans_api.CohortList", "POST", "/api/v1/readiness/cohorts"): leader_api(422),
    ("readiness_plans_api.CohortItem", "GET", "/api/v1/readiness/cohorts/{cohort}"): leader_api(200),
    ("readiness_plans_api.CohortItem", "GET", "/api/v1/readiness/cohorts/999999"): leader_api(404),
    ("readiness_plans_api.CohortItem", "DELETE", "/api/v1/readiness/cohorts/{cohort}"): leader_api(204),
    ("my_plans_api.MyCohorts", "GET", "/api/v1/me/cohorts"): educator_api(200),
    ("my_plans_api.MySharing", "GET", "/api/v1/me/self-assessment-sharing"): educator_api(200),
    ("my_plans_api.MySharing", "PUT", "/api/v1/me/self-assessment-sharing"): educator_api(422),
    # rounds: validators rating calibration exemplars blind (the admin curated the sets; the validator is in scope).
    ("calibration_rounds.index", "GET", "/validator/calibration/"): validator_page(200),
    ("calibration_rounds.round_page", "GET", "/validator/calibration/rounds/{round}"): validator_page(200),
    ("calibration_rounds.round_page", "GET", "/validator/calibration/rounds/999999"): validator_page(404),
    ("calibration_rounds.exemplar", "GET", "/validator/calibration/rounds/{round}/exemplars/{exemplar}"): (
        validator_page(200)
    ),
    # An exemplar of another set (the draft) is not in the round.
    ("calibration_rounds.exemplar", "GET", "/validator/calibration/rounds/{round}/exemplars/{draft_exemplar}"): (
        validator_page(404)
    ),
    ("calibration_rounds.rate", "POST", "/validator/calibration/rounds/{round}/exemplars/{exemplar}/rating"): (
        validator_page(400)  # nothing rated
    ),
    ("calibration_rounds_api.CalibrationRoundList", "GET", "/api/v1/calibration/rounds"): validator_api(200),
    ("calibration_rounds_api.CalibrationRoundItem", "GET", "/api/v1/calibration/rounds/{round}"): validator_api(200),
    ("calibration_rounds_api.CalibrationRoundItem", "GET", "/api/v1/calibration/rounds/999999"): validator_api(404),
    (
        "calibration_rounds_api.ExemplarRating",
        "POST",
        "/api/v1/calibration/rounds/{round}/exemplars/{exemplar}/rating",
    ): (
        validator_api(400)  # nothing rated
    ),
    ("calibration_rounds_api.ExemplarRating", "POST", "/api/v1/calibration/rounds/{round}/exemplars/999999/rating"): (
        validator_api(404)
    ),
    ("calibration_rounds_api.MyCalibrationResults", "GET", "/api/v1/calibration/me/results"): validator_api(200),
    # report: the calibration report (admins and district leaders), the policy (admins; leaders read it by API)
    ("calibration_report.report", "GET", "/calibration/report"): row(302, 403, 403, 200, 200),
    ("calibration_report.report", "GET", "/calibration/report?domain=delivery-operations"): row(
        302, 403, 403, 200, 200
    ),
    ("calibration_report.report", "GET", "/calibration/report?domain=nope"): row(302, 403, 403, 400, 400),
    ("calibration_report.report_csv", "GET", "/calibration/report.csv"): row(302, 403, 403, 200, 200),
    ("calibration_report.policy", "GET", "/calibration/policy"): admin_page(200),
    ("calibration_report.policy", "POST", "/calibration/policy"): admin_page(400),  # an empty form
    ("calibration_report_api.CalibrationReportView", "GET", "/api/v1/calibration/report"): row(401, 403, 403, 200, 200),
    ("calibration_report_api.CalibrationPolicyView", "GET", "/api/v1/calibration/policy"): row(401, 403, 403, 200, 200),
    ("calibration_report_api.CalibrationPolicyView", "PUT", "/api/v1/calibration/policy"): admin_api(422),
    # exemplars (calibration): curating sets is for admins and lead validators (the table's validator is not a lead).
    ("exemplars.index", "GET", "/calibration/sets"): admin_page(200),
    ("exemplars.new_set", "GET", "/calibration/sets/new"): admin_page(200),
    ("exemplars.new_set", "POST", "/calibration/sets/new"): admin_page(400),  # an empty form
    ("exemplars.show", "GET", "/calibration/sets/{exemplar_set}"): admin_page(200),
    ("exemplars.show", "GET", "/calibration/sets/{open_set}"): admin_page(200),
    ("exemplars.show", "GET", "/calibration/sets/999999"): admin_page(404),
    ("exemplars.edit_set", "GET", "/calibration/sets/{exemplar_set}/edit"): admin_page(200),
    ("exemplars.edit_set", "POST", "/calibration/sets/{exemplar_set}/edit"): admin_page(400),
    ("exemplars.edit_set", "GET", "/calibration/sets/{open_set}/edit"): admin_page(409),  # frozen
    ("exemplars.delete_set", "POST", "/calibration/sets/{exemplar_set}/delete"): admin_page(200),  # the confirmation
    ("exemplars.delete_set", "POST", "/calibration/sets/{open_set}/delete"): admin_page(409),
    ("exemplars.open_set", "POST", "/calibration/sets/{exemplar_set}/open"): admin_page(400),  # no round title
    ("exemplars.open_round", "POST", "/calibration/sets/{open_set}/rounds"): admin_page(409),  # a round is open
    ("exemplars.close_round", "POST", "/calibration/rounds/{round}/close"): admin_page(200),  # the confirmation
    ("exemplars.close_round", "POST", "/calibration/rounds/999999/close"): admin_page(404),
    ("exemplars.new_exemplar", "GET", "/calibration/sets/{exemplar_set}/exemplars/new"): admin_page(200),
    ("exemplars.new_exemplar", "POST", "/calibration/sets/{exemplar_set}/exemplars/new"): admin_page(400),
    ("exemplars.edit_exemplar", "GET", "/calibration/exemplars/{draft_exemplar}/edit"): admin_page(200),
    ("exemplars.edit_exemplar", "POST", "/calibration/exemplars/{draft_exemplar}/edit"): admin_page(400),
    ("exemplars.edit_exemplar", "GET", "/calibration/exemplars/{exemplar}/edit"): admin_page(409),  # frozen
    ("exemplars.delete_exemplar", "POST", "/calibration/exemplars/{draft_exemplar}/delete"): admin_page(200),
    ("exemplars.copy", "GET", "/calibration/sets/{exemplar_set}/copy"): admin_page(200),
    ("exemplars.copy", "POST", "/calibration/sets/{exemplar_set}/copy"): admin_page(404),  # no consented item chosen
    # The table's exemplars have no file: 404 for everyone, as for a file that does not exist.
    ("exemplars.exemplar_file", "GET", "/calibration/exemplars/{exemplar}/file"): row(302, 404, 404, 404, 404),
    ("calibration_consent.grant", "POST", "/educator/evidence/{link}/calibration-consent"): educator_page(302),
    ("calibration_consent.withdraw", "POST", "/educator/evidence/{link}/calibration-consent/withdraw"): educator_page(
        302
    ),
    ("exemplars_api.SetList", "GET", "/api/v1/calibration/sets"): admin_api(200),
    ("exemplars_api.SetList", "POST", "/api/v1/calibration/sets"): admin_api(422),
    ("exemplars_api.SetItem", "GET", "/api/v1/calibration/sets/{exemplar_set}"): admin_api(200),
    ("exemplars_api.SetItem", "GET", "/api/v1/calibration/sets/999999"): admin_api(404),
    ("exemplars_api.SetExemplars", "POST", "/api/v1/calibration/sets/{exemplar_set}/exemplars"): admin_api(422),
    ("exemplars_api.SetOpen", "POST", "/api/v1/calibration/sets/{exemplar_set}/open"): admin_api(422),
    ("calibration_consent_api.CalibrationConsentItem", "PUT", "/api/v1/me/evidence/{link}/calibration-consent"): (
        educator_api(200)
    ),
    ("calibration_consent_api.CalibrationConsentItem", "DELETE", "/api/v1/me/evidence/{link}/calibration-consent"): (
        educator_api(204)
    ),
    # Framework drafts: the admins of the owning district only; another district's draft is 404.
    ("framework_drafts.show", "GET", "/frameworks/drafts/{framework_draft}"): admin_page(200),
    ("framework_drafts.show", "GET", "/frameworks/drafts/999999"): admin_page(404),
    # The framework editor (branch editor): every page is the owning district's admins'; empty forms are 400,
    # permanent steps answer with their confirmation (200); the table admin's district has a draft already (409).
    ("framework_drafts.details", "GET", "/frameworks/drafts/{framework_draft}/details"): admin_page(200),
    ("framework_drafts.details", "POST", "/frameworks/drafts/{framework_draft}/details"): admin_page(400),
    ("framework_drafts.details", "GET", "/frameworks/drafts/999999/details"): admin_page(404),
    ("framework_drafts.level", "GET", "/frameworks/drafts/{framework_draft}/levels/1"): admin_page(200),
    ("framework_drafts.level", "POST", "/frameworks/drafts/{framework_draft}/levels/1"): admin_page(400),
    ("framework_drafts.level", "GET", "/frameworks/drafts/{framework_draft}/levels/99"): admin_page(404),
    ("framework_drafts.domain", "GET", "/frameworks/drafts/{framework_draft}/domains/delivery-operations"): admin_page(
        200
    ),
    ("framework_drafts.domain", "POST", "/frameworks/drafts/{framework_draft}/domains/delivery-operations"): admin_page(
        400
    ),
    ("framework_drafts.domain", "GET", "/frameworks/drafts/{framework_draft}/domains/nope"): admin_page(404),
    (
        "framework_drafts.add_question",
        "POST",
        "/frameworks/drafts/{framework_draft}/domains/delivery-operations/questions",
    ): admin_page(400),
    (
        "framework_drafts.question",
        "GET",
        "/frameworks/drafts/{framework_draft}/questions/{framework_draft_indicator}",
    ): admin_page(200),
    (
        "framework_drafts.question",
        "POST",
        "/frameworks/drafts/{framework_draft}/questions/{framework_draft_indicator}",
    ): admin_page(400),
    ("framework_drafts.question", "GET", "/frameworks/drafts/{framework_draft}/questions/999999"): admin_page(404),
    (
        "framework_drafts.retire_question",
        "POST",
        "/frameworks/drafts/{framework_draft}/questions/{framework_draft_indicator}/retire",
    ): admin_page(200),
    ("framework_drafts.new_role", "GET", "/frameworks/drafts/{framework_draft}/roles/new"): admin_page(200),
    ("framework_drafts.new_role", "POST", "/frameworks/drafts/{framework_draft}/roles/new"): admin_page(400),
    ("framework_drafts.role", "GET", "/frameworks/drafts/{framework_draft}/roles/teacher"): admin_page(200),
    ("framework_drafts.role", "POST", "/frameworks/drafts/{framework_draft}/roles/teacher"): admin_page(400),
    ("framework_drafts.role", "GET", "/frameworks/drafts/{framework_draft}/roles/nope"): admin_page(404),
    ("framework_drafts.remove_role", "POST", "/frameworks/drafts/{framework_draft}/roles/teacher/remove"): admin_page(
        200
    ),
    ("framework_drafts.publish", "POST", "/frameworks/drafts/{framework_draft}/publish"): admin_page(
        400
    ),  # nothing has changed
    ("framework_drafts.publish", "POST", "/frameworks/drafts/999999/publish"): admin_page(404),
    ("framework_drafts.discard", "POST", "/frameworks/drafts/{framework_draft}/discard"): admin_page(200),
    ("framework_drafts.start", "POST", f"{FW}/draft"): admin_page(409),
    ("framework_drafts.start", "POST", "/frameworks/nope/1.0/draft"): admin_page(404),
    ("framework_drafts.adopt", "POST", f"{FW}/adopt"): admin_page(200),
    ("framework_drafts.adopt", "POST", "/frameworks/nope/1.0/adopt"): admin_page(404),
    # CASE 1.1 (case): the REST service is public, published versions only; importing is for admins.
    ("case.documents", "GET", "/ims/case/v1p1/CFDocuments"): EVERYONE_200,
    ("case.document", "GET", "/ims/case/v1p1/CFDocuments/{case_document}"): EVERYONE_200,
    ("case.document", "GET", "/ims/case/v1p1/CFDocuments/00000000-0000-4000-8000-000000000000"): row(
        404, 404, 404, 404, 404
    ),
    ("case.package", "GET", "/ims/case/v1p1/CFPackages/{case_document}"): EVERYONE_200,
    ("case.package", "GET", "/ims/case/v1p1/CFPackages/{case_document}?download=1"): EVERYONE_200,
    ("case.package", "GET", "/ims/case/v1p1/CFPackages/not-a-uuid"): row(404, 404, 404, 404, 404),
    ("case.item", "GET", "/ims/case/v1p1/CFItems/{case_domain}"): EVERYONE_200,
    ("case.item", "GET", "/ims/case/v1p1/CFItems/{case_item}"): EVERYONE_200,
    ("case.item", "GET", "/ims/case/v1p1/CFItems/{case_rubric}"): row(404, 404, 404, 404, 404),
    # An association's identifier is derived (uuid5), so the table has none: tests/test_case_http.py fetches one.
    ("case.association", "GET", "/ims/case/v1p1/CFAssociations/{case_item}"): row(404, 404, 404, 404, 404),
    ("case.rubrics", "GET", "/ims/case/v1p1/CFRubrics/{case_rubric}"): EVERYONE_200,
    ("case.rubrics", "GET", "/ims/case/v1p1/CFRubrics/{case_document}"): row(404, 404, 404, 404, 404),
    ("case_import.upload", "GET", "/frameworks/import"): admin_page(200),
    ("case_import.upload", "POST", "/frameworks/import"): admin_page(400),  # no file
    # stream (issue 13): the framework audit stream, for admins of districts using the framework.
    ("framework_events.stream", "GET", "/frameworks/cbe-educator-competencies/events"): admin_page(200),
    ("framework_events.stream", "GET", "/frameworks/no-such-framework/events"): admin_page(404),
    ("framework_events_api.FrameworkEventList", "GET", "/api/v1/frameworks/cbe-educator-competencies/events"): (
        admin_api(200)
    ),
    ("framework_events_api.FrameworkEventList", "GET", "/api/v1/frameworks/no-such-framework/events"): admin_api(404),
}

CASES = [
    (endpoint, method, path, role, status)
    for (endpoint, method, path), statuses in TABLE.items()
    for role, status in statuses.items()
]


@pytest.fixture
def people(app, framework):
    """The table's district, one person per role and the objects the paths name: built once, restored per row."""
    return shared_world("route table", lambda: _build_people(framework))


def _build_people(framework):
    district = District(slug="table", name="Table District", framework=framework)
    db.session.add(district)
    users = {}
    for role in SystemRole:
        user = User(
            district=district,
            email=f"{role.value}@table.example.org",
            name=role.label,
            professional_role="teacher",
            password_hash=PASSWORD_HASH,
        )
        user.set_system_roles({role})
        db.session.add(user)
        users[role.value] = user
    db.session.flush()
    owner = users["educator"]
    indicator = next(i for d in framework.domains for i in d.indicators if i.code == "4.1")
    ids = {
        "link": evidence.add_link(owner, "A link", "What it shows", "https://example.org/x", [indicator.id]).id,
        "file": evidence.add_file(owner, "A file", "What it shows", "a.pdf", PDF, [indicator.id]).id,
        "image": evidence.add_file(owner, "An image", "What it shows", "a.png", PNG, [indicator.id]).id,
        "assessment": assessments.start_assessment(owner).id,
    }
    ids["goal"] = goals.create_goal(
        owner, "delivery-operations", 3, date.today() + timedelta(days=30), "Use learning progressions"
    ).id
    # A claim citing its own file (so deleting {link} stays possible), in the validator's scope.
    badge = db.session.scalar(
        select(BadgeClass).where(BadgeClass.name == "Delivery and Operations: Experienced, Teacher")
    )
    ids["cited"] = evidence.add_file(owner, "Cited", "What it shows", "c.pdf", PDF, [indicator.id]).id
    ids["claim"] = claims.create_claim(owner, badge.id, "It shows it.", [ids["cited"]]).id
    ids["badge"] = badge.id
    validator, admin = users["validator"], users["admin"]
    scope.set_scope(admin, validator, [d.code for d in framework.domains], ["teacher"], [], True)
    other = User(district=district, email="other@table.example.org", name="Other", professional_role="teacher")
    other.set_system_roles({SystemRole.EDUCATOR})
    db.session.add(other)
    db.session.flush()
    ids["validator"] = validator.id
    ids["conflict"] = scope.record_conflict(admin, validator, other, "Related").id
    # An awarded badge (a second claim, so {claim} stays awaiting review) and its credential's keys.
    novice = db.session.scalar(select(BadgeClass).where(BadgeClass.name == "Delivery and Operations: Novice, Teacher"))
    approved = claims.create_claim(owner, novice.id, "It shows it.", [ids["cited"]])
    award = reviews.decide(validator, approved.id, "approve", "ok", {i.id: 2 for i in role_indicators(novice)}).award
    owner.public_profile_id = "6f1c2a52-5d1e-4c39-9d0e-3b7f2a9e8c41"  # a public profile, listing nothing yet
    ids.update(
        profile=owner.public_profile_id,
        award=award.id,
        approved=approved.id,
        uuid=award.credential_uuid,
        jwt_kid=award.jwt_kid,
        di_kid=active_key(KeyAlgorithm.ED25519).kid,
    )
    # A target and a cohort of the district's leader.
    leader = users["district_leader"]
    plan = readiness_scope(leader)
    ids["target"] = targets.create_target(leader, plan, "delivery-operations", 50, date.today() + timedelta(days=90)).id
    ids["cohort"] = cohorts.create_cohort(leader, plan, "Circle", "delivery-operations", date.today(), [owner.id]).id
    # Calibration: a draft exemplar set, and an opened one with its round, curated by the admin.
    draft = make_set(district, admin, title="Draft exemplars")
    opened = make_set(district, admin, title="Opened exemplars")
    calibration_round = open_round(opened, admin)
    ids.update(
        exemplar_set=draft.id,
        draft_exemplar=draft.exemplars[0].id,
        open_set=opened.id,
        round=calibration_round.id,
        exemplar=opened.exemplars[0].id,
    )
    # Frameworks: the admin's draft of the district's next version, and CASE identifiers of the framework.
    ids.update(framework_world_ids(admin, framework))
    db.session.commit()
    return ids


def _request(client, auth, role, method, path):
    if role != "anonymous":
        assert auth.login(f"{role}@table.example.org", PASSWORD).status_code == 302
    if method == "GET":
        return client.get(path)
    # A real form post: the token comes from a page the person would have in front of them.
    page = client.get("/login" if role == "anonymous" else "/frameworks/").get_data(as_text=True)
    token = csrf_token_from(page)
    if path.startswith("/api/"):
        return client.open(path, method=method, json={}, headers={"X-CSRFToken": token})
    data = {"csrf_token": token}
    if path == "/login":
        data.update(email="nobody@table.example.org")  # no password: the form is invalid
    return client.open(path, method=method, data=data)


@pytest.mark.parametrize("endpoint,method,path,role,status", CASES, ids=[f"{m} {p} as {r}" for _, m, p, r, _ in CASES])
def test_route_answers_role_with_expected_status(client, auth, people, endpoint, method, path, role, status):
    response = _request(client, auth, role, method, path.format(**people))
    body = response.get_data().decode("utf-8", "replace")  # some answers are images
    response.close()
    assert response.status_code == status, body[body.find("<main") :][:400] if "<main" in body else body[:400]


def test_every_route_is_in_the_table(app):
    covered = {(endpoint, method) for endpoint, method, _ in TABLE}
    missing = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without a row in the role table: " + ", ".join(missing)
