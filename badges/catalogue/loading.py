"""Installing a framework version: the framework itself (badges.frameworks.loader) and then its badge
classes. Frameworks know nothing of badges; whoever loads one to use it (the CLI, the demo, tests)
calls this, so the catalogue is complete whenever a framework is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..frameworks.loader import LoadResult, load_framework, read_framework_file
from .badge_classes import generate_badge_classes


def install_framework(data: dict[str, Any], label: str = "(framework)") -> LoadResult:
    """Load a validated framework version (or find the identical one) and create its missing badge classes.

    Generating again for a version already loaded fills in classes for versions loaded before badges existed.
    """
    result = load_framework(data, label)
    generate_badge_classes(result.framework)
    return result


def install_framework_file(path: str | Path) -> LoadResult:
    return install_framework(read_framework_file(path), str(path))
