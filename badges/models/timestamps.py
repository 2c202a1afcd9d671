from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC: SQLite keeps no zone, so every datetime column is UTC by convention."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
