"""marshmallow fields the API schemas share."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_smorest.fields import Upload
from marshmallow import ValidationError, fields
from werkzeug.datastructures import FileStorage


class FileUpload(Upload):
    """A file part of a multipart body. flask-smorest's Upload takes whatever arrives under the name, so a
    plain text field sent where the file belongs would reach the view as a string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> FileStorage:
        if not isinstance(value, FileStorage):
            raise ValidationError(
                "This must be a file, sent as a file part of a multipart/form-data body "
                "(with a file name), not as a text field."
            )
        return value


class UTCDateTime(fields.DateTime):
    """A moment as RFC 3339 with its offset, as the documented "date-time" format requires. The database
    keeps naive UTC (SQLite has no zones), which marshmallow would write without one."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | float | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
