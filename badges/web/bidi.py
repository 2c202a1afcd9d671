"""Names shown in pages cannot reorder the text around them with bidirectional controls.

A name holding U+202E (RIGHT-TO-LEFT OVERRIDE) or its kin would, printed as is, turn the rest of
the line around it ("…revoked by ‮evil" reads backwards up to the end of the paragraph). Templates
wrap the names they show in <bdi>; and every value a template prints that contains such a control
is wrapped in the Unicode isolate characters FSI … PDI (this module is the Jinja `finalize` hook), so
no template that forgets <bdi> (and no attribute or <title>, where an element cannot go) lets it leak.
"""

from __future__ import annotations

import re

from markupsafe import Markup

# ALM, LRM, RLM; LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ISOLATE_INITIATORS = "\u2066\u2067\u2068"  # LRI, RLI, FSI
FSI, PDI = "\u2068", "\u2069"


def isolate_bidi(text: str) -> str:
    """The text as it is when it has no bidirectional controls; else FSI + text + PDI, with the text's
    own isolates balanced first (a PDI that closes nothing dropped, each isolate left open closed), so
    that the last PDI closes ours. Embeddings and overrides left open inside end at that PDI (UAX #9, X6a)."""
    if not BIDI_CONTROLS.search(text):
        return text
    kept, open_isolates = [], 0
    for char in text:
        if char in ISOLATE_INITIATORS:
            open_isolates += 1
        elif char == PDI:
            if not open_isolates:
                continue
            open_isolates -= 1
        kept.append(char)
    return FSI + "".join(kept) + PDI * open_isolates + PDI


def isolate_bidi_output(value: object) -> object:
    """Jinja finalize: what each {{ expression }} prints. Markup (macros, rendered fields) is left as it
    is: the values inside it went through this hook when they were printed."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return isolate_bidi(value)
    return value
