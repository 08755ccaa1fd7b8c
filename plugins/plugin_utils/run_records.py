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
import os
import socket
import typing as t

DEFAULT_LOCK_NAME = "iis_hotfix"
# Where win-primitive-agent keeps lock\<name>.lock and state\<name>.json (docs/agent-protocol.md).
AGENT_STATE_ROOT = r"%SystemRoot%\Temp\win-primitive-agent"
# A lock owner is "<identity> run <controller process>": the identity says who may take over an
# interrupted run's lock at once, the run says whether that run is still alive on this controller.
RUN_SEPARATOR = " run "
PROGRESS_PREFIX = "iis_hotfix-"
# The KB procedure's steps, in order; the record names the last one completed.
STEPS = ("started", "staged", "removed", "overlaid", "reinstalled", "verified")


def default_owner() -> str:
    """Who holds the lock when the task does not say: the controller account and host.

    A rerun from the same controller (after an interruption) is the same identity: it takes over the
    lock of the interrupted run once that run's process is gone, and is refused while it still runs;
    another controller or account is refused until the lock expires.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"ansible:{user}@{socket.gethostname()}"


def run_owner(identity: str | None = None) -> str:
    """The owner a lock is taken as: who (``identity``, by default the controller account and host)
    and which run of theirs (the ansible-playbook process, see controller_run)."""
    return f"{identity or default_owner()}{RUN_SEPARATOR}{controller_run()}"


def controller_run() -> str:
    """This run's process on the controller: its id and, where the system tells, its start time (so a
    recycled process id is not mistaken for the run). Modules run in a worker forked per task, so the
    run is the worker's parent, the ansible-playbook process."""
    pid = os.getppid()
    started = _process_start(pid)
    return f"{pid}" if started is None else f"{pid}.{started}"


def split_owner(owner: str) -> tuple[str, str | None]:
    """(identity, run) of a lock owner; run is None for an owner that names no run."""
    identity, separator, run = owner.rpartition(RUN_SEPARATOR)
    return (identity, run) if separator and identity else (owner, None)


def abandoned_by_this_controller(holder: str, owner: str) -> bool:
    """True when ``holder`` is another run of ``owner``'s identity whose process has ended on this
    controller: an interrupted run of ours, whose lock the next run takes over at once."""
    holder_identity, holder_run = split_owner(holder)
    identity, run = split_owner(owner)
    if holder_identity != identity or holder_run is None or run is None or holder_run == run:
        return False
    return not _run_alive(holder_run)


def _run_alive(run: str) -> bool:
    pid_text, _dot, started = run.partition(".")
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another account
        pass
    return not started or _process_start(pid) in (None, started)


def _process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux /proc), or None where unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return fields[19] if len(fields) > 19 else None


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
