"""A JSON-LD document loader that serves only the contexts shipped in badges/standards/contexts/.

Signing and verifying must never depend on the network: a context fetched at run time could change
what a signature means. Any URL not in CONTEXT_FILES is refused.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from pyld.context_resolver import ContextResolver

from badges.resources import resource_dir

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OPEN_BADGES_V2 = "https://w3id.org/openbadges/v2"
DID_V1 = "https://www.w3.org/ns/did/v1"

CONTEXT_FILES = {
    DID_V1: "did-v1.jsonld",  # the issuer profile is also a controller document (W3C DID v1.0 context)
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OPEN_BADGES_V3: "ob-v3p0-context-3.0.3.json",
    OPEN_BADGES_V2: "ob-v2p0-context.json",
}


class UnknownContextError(ValueError):
    """A document named a context URL this service does not ship."""

    def __init__(self, url: str):
        super().__init__(
            f"refusing to load JSON-LD context {url!r}: only the shipped contexts are "
            f"served ({', '.join(sorted(CONTEXT_FILES))})"
        )
        self.url = url


@cache
def _parsed(url: str) -> dict:
    path = resource_dir("standards") / "contexts" / CONTEXT_FILES[url]
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def load_document(url: str, options: dict | None = None) -> dict:
    """pyld document loader: a shipped context, or UnknownContextError; nothing is fetched."""
    if url not in CONTEXT_FILES:
        raise UnknownContextError(url)
    # pyld is handed a copy so that nothing it does can alter the cached original. "static" (as in
    # jsonld.js) lets pyld keep the processed context between calls: these files never change.
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(_parsed(url)), "tag": "static"}


class _ProcessedContexts(dict):
    """pyld's cache of processed contexts, ours alone and bounded: documents under verification may
    carry inline contexts of their own."""

    LIMIT = 256

    def __setitem__(self, key: Any, value: Any) -> None:
        if len(self) >= self.LIMIT:
            self.clear()
        super().__setitem__(key, value)


_PROCESSED = _ProcessedContexts()
_PYLD_LOCK = threading.Lock()  # the cached contexts hold cachetools caches, which are not thread-safe


@contextmanager
def pyld_options() -> Iterator[dict]:
    """Options for pyld calls made inside the `with`: the shipped contexts only; no base IRI (pyld
    would otherwise resolve relative IRIs against a made-up one); our own context cache, never pyld's
    process-wide one. One thread at a time (pyld is pure Python: the GIL serializes it anyway)."""
    with _PYLD_LOCK:
        yield {
            "documentLoader": load_document,
            "base": None,
            "contextResolver": ContextResolver(_PROCESSED, load_document),
        }
