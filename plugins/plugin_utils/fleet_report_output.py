# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes the fleet report files (report.json, report.html, junit.xml) into the report directory.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

Every format is rendered before any file is written, and each file is replaced atomically, so a
reader (a CI step, a browser, AWX) never sees a half-written or mixed-up set.
"""

from __future__ import annotations

import json
import os
import tempfile
import typing as t
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.fleet_report_html import render_html
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.fleet_report_junit import render_junit


def render_json(report: Mapping[str, t.Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


FILE_NAMES = {"json": "report.json", "html": "report.html", "junit": "junit.xml"}
RENDERERS: dict[str, Callable[[Mapping[str, t.Any]], str]] = {
    "json": render_json,
    "html": render_html,
    "junit": render_junit,
}
FORMATS = tuple(FILE_NAMES)
# Reports are read by people and CI jobs other than the one that wrote them.
FILE_MODE = 0o644


def _replace_file(path: Path, text: str) -> None:
    descriptor, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(partial, FILE_MODE)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def write_report(
    report: Mapping[str, t.Any], directory: str | os.PathLike[str], formats: Sequence[str]
) -> dict[str, str]:
    """Write the requested formats; returns {format: absolute path}. Raises IisHotfixError on I/O errors."""
    unknown = [name for name in formats if name not in RENDERERS]
    if unknown:
        raise IisHotfixError(f"unknown report format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    rendered = {name: RENDERERS[name](report) for name in dict.fromkeys(formats)}
    target = Path(directory).absolute()
    try:
        target.mkdir(parents=True, exist_ok=True)
        written = {}
        for name, text in rendered.items():
            path = target / FILE_NAMES[name]
            _replace_file(path, text)
            written[name] = str(path)
    except OSError as error:
        raise IisHotfixError(f"cannot write the fleet report to {target}: {error.strerror or error}") from error
    return written
