from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC: SQLite keeps no zone, so every datetime column is UTC by convention."""
    return datetime.now(UTC).replace(tzinfo=None)
