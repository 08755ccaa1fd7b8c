# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host-side records of a remediation run: the run lock and the progress record.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

The lock keeps two runs (two administrators, two AWX jobs) from working on one host at once.
The progress record remembers how far an interrupted remediation got: once SMTP and NNTP are
removed, detection alone would call the host "not applicable", so the record is what tells the
next run to carry on instead of leaving the host without its services.
"""

from __future__ import annotations

import getpass
import socket
import typing as t

DEFAULT_LOCK_NAME = "iis_hotfix"
PROGRESS_PREFIX = "iis_hotfix-"
# The KB procedure's steps, in order; the record names the last one completed.
STEPS = ("started", "staged", "removed", "overlaid", "reinstalled", "verified")


def default_owner() -> str:
    """Who holds the lock when the task does not say: the controller account and host.

    A rerun from the same controller (after an interruption) is the same owner and resumes;
    another controller or account is a different owner and is refused while the lock lasts.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"ansible:{user}@{socket.gethostname()}"


def progress_record_name(kb: str) -> str:
    return f"{PROGRESS_PREFIX}{kb}"


def progress_value(kb: str, step: str, details: t.Mapping[str, t.Any] | None) -> dict[str, t.Any]:
    if step not in STEPS:
        raise ValueError(f"step must be one of {', '.join(STEPS)}")
    return {"kb": kb, "step": step, "steps_done": list(STEPS[: STEPS.index(step) + 1]), "details": dict(details or {})}


def describe_lock_held(name: str, message: str) -> str:
    return (
        f"the run lock '{name}' on this host is held by another run ({message}). Wait for it to finish, "
        "or, if that run is gone, release the lock with winops.iis_hotfix.host_lock state=absent force=true"
    )
