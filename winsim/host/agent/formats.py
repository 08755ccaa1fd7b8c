"""How the agent writes times and file attributes."""

from __future__ import annotations

import math
from datetime import UTC, datetime

# .NET FileAttributes, in the order Enum.ToString lists set flags (ascending value).
_FILE_ATTRIBUTES = ((0x1, "ReadOnly"), (0x2, "Hidden"), (0x4, "System"), (0x10, "Directory"), (0x20, "Archive"),
                    (0x40, "Device"), (0x80, "Normal"), (0x100, "Temporary"), (0x200, "SparseFile"),
                    (0x400, "ReparsePoint"), (0x800, "Compressed"), (0x1000, "Offline"),
                    (0x2000, "NotContentIndexed"), (0x4000, "Encrypted"))
FILE_ATTRIBUTE_NORMAL = 0x80
FILE_ATTRIBUTE_REPARSE_POINT = 0x400


def agent_time(timestamp: float) -> str:
    """YYYY-MM-DDTHH:MM:SSZ in UTC, seconds truncated as .NET's "ss" format truncates them."""
    return datetime.fromtimestamp(math.floor(timestamp), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_agent_time(text: str) -> float | None:
    """The POSIX time of a YYYY-MM-DDTHH:MM:SSZ string, or None when it is not exactly that."""
    if len(text) != 20:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


def attribute_names(attributes: int) -> list[str]:
    """FileAttributes.ToString() split into names; Windows reports a file with no attribute as Normal."""
    attributes = attributes or FILE_ATTRIBUTE_NORMAL
    return [name for flag, name in _FILE_ATTRIBUTES if attributes & flag]
