"""The one password policy, for every way a password is set: the command line, an invitation, a reset
link and a person changing their own.

It follows NIST SP 800-63B (5.1.1.2, "Memorized Secret Verifiers"): length is what makes a password
hard to guess, so the policy asks for a long one (12 characters, more than NIST's floor of 8, since
a staff account can change what a district's credentials say) and allows long passphrases (up to 128;
NIST asks for at least 64), refuses the passwords attackers try first, and asks for no composition
rules (a digit, a symbol) and no periodic change, which NIST found make passwords weaker, not stronger.

common-passwords.txt is the first 10,000 lines (the most common first) of the list Django ships as
django/contrib/auth/common-passwords.txt.gz (Django 5.2.19 from PyPI, BSD licence; Django took it from
Royce Williams' list of passwords found in breaches). It is read from the package, never downloaded.
Most of its entries are shorter than 12 characters and so already refused by length; the rest
("qwerty123456", "1q2w3e4r5t6y") are what the check is for.
"""

from __future__ import annotations

import functools

from ..resources import PACKAGE_DIR

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
# "aaaaaaaaaaaa" or "abababababab" is long but guessed at once (NIST: "repetitive characters").
MIN_DISTINCT_CHARACTERS = 4
COMMON_PASSWORDS_FILE = PACKAGE_DIR / "people" / "common-passwords.txt"


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased: "Password1234" is as common as "password1234"."""
    with open(COMMON_PASSWORDS_FILE, encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n").lower() for line in lines if line.strip())


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why `password` cannot be used (a sentence naming the problem), or None if it can.

    `email`, when known, is the account's login name: a password that is the address, or the part
    before the "@", is the first thing someone who knows the address tries (NIST: context-specific words)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password must be at least {MIN_PASSWORD_LENGTH} characters long (this one has {len(password)})"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"password can be at most {MAX_PASSWORD_LENGTH} characters long (this one has {len(password)})"
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        return "password repeats the same few characters; use a few unrelated words instead"
    if password.lower() in common_passwords():
        return "password is one of the most common passwords, which are guessed first; choose another"
    if email:
        address = email.strip().lower()
        if password.lower() in (address, address.partition("@")[0]):
            return "password must not be your email address"
    return None
