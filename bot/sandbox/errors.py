"""Bot API error responses raised by the sandbox, shaped like Telegram's JSON errors."""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApiError",
    "bad_request",
    "forbidden",
    "not_found",
    "not_implemented",
    "too_many_requests",
    "unauthorized",
]


class ApiError(Exception):
    """A Bot API failure: becomes ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram would send for this error."""
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """400 with Telegram's ``Bad Request:`` prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """403 with Telegram's ``Forbidden:`` prefix."""
    return ApiError(403, f"Forbidden: {detail}")


def unauthorized() -> ApiError:
    """401 for a token the sandbox does not know."""
    return ApiError(401, "Unauthorized")


def not_found() -> ApiError:
    """404 for an unknown method or route."""
    return ApiError(404, "Not Found")


def not_implemented(what: str) -> ApiError:
    """501 for a real Bot API feature the sandbox does not emulate, so gaps are loud."""
    return ApiError(501, f"Not Implemented in sandbox: {what}")


def too_many_requests(retry_after: int) -> ApiError:
    """429 flood-control error with ``parameters.retry_after``."""
    retry_after = max(1, retry_after)
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
