"""Host time: POSIX seconds inside the model, ISO-8601 UTC in what it shows."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now() -> float:
    return round(time.time(), 6)


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")


def from_iso(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
