"""Where the folders that ship beside the code live.

In a checkout they sit at the top of the repository (the project card's layout); in an
installed wheel the build maps them inside the package (see pyproject.toml).
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder `name` (templates, migrations, seed_frameworks, standards)."""
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


def default_framework_file() -> Path:
    return resource_dir("seed_frameworks") / "cbe-educator-competencies.json"
