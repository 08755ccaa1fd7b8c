# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Verdicts per KB article, decided from a HostSnapshot, each with the evidence behind it.

Decision table (the module documentation of iis_facts carries the same table):

Shared by every rule, in order:
  undetermined    a read the decision needs failed (registry access denied, WMI...)
  not_applicable  no IIS; IIS major version other than 4; none of the KB's services installed
  not_affected    IIS 4 lives in %windir%\\system32\\inetsrv (compared canonically)

Q197303 (SMTP and NNTP), IIS 4 outside the default path, per installed service:
  broken   registered (Parameters\\InstallPath, else the image's directory) in a directory
           where its DLL is missing - typically the hard-coded default path; or its image
           file is missing; or it is not running and 7000/7023 events name it or name no service
  healthy  registered in the IIS directory with its DLL and image present (and not broken)
  verdict  affected if any service is broken; fixed if all are healthy; else undetermined

Q245208 (SMTP added later), IIS 4 outside the default path:
  affected  the SMTP image (inetinfo.exe) is registered in the default path and missing, or
            SMTP is not running and 7000 events name it or name no service
  fixed     the SMTP image is in the IIS directory and present, and InstallPath (when set)
            points at the IIS directory
  otherwise undetermined
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import iis_paths
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_snapshot import (
    SMTP,
    HostSnapshot,
    ServiceSnapshot,
)

AFFECTED = "affected"
FIXED = "fixed"
NOT_AFFECTED = "not_affected"
NOT_APPLICABLE = "not_applicable"
UNDETERMINED = "undetermined"
VERDICTS = (AFFECTED, FIXED, NOT_AFFECTED, NOT_APPLICABLE, UNDETERMINED)


@dataclass(frozen=True)
class Verdict:
    kb: str
    verdict: str
    evidence: tuple[str, ...]
    raw: t.Mapping[str, t.Any]

    def as_fact(self) -> dict[str, t.Any]:
        return {"verdict": self.verdict, "evidence": list(self.evidence), "raw": dict(self.raw)}


@dataclass(frozen=True)
class _Placement:
    """Where IIS is and where Windows' default IIS directory is, canonically."""

    iis_directory: str
    iis_canonical: str
    default_directory: str
    default_canonical: str


class _Decision:
    """Collects evidence while a rule runs; ``conclude`` turns it into a Verdict."""

    def __init__(self, kb: str, snapshot: HostSnapshot) -> None:
        self.kb = kb
        self.snapshot = snapshot
        self.evidence: list[str] = []
        self.raw: dict[str, t.Any] = {
            "iis_installed": snapshot.iis.installed,
            "iis_major": snapshot.iis.major,
            "iis_minor": snapshot.iis.minor,
            "iis_install_path": snapshot.iis.install_path,
            "iis_install_path_canonical": snapshot.canonical(snapshot.iis.install_path),
            "default_path": snapshot.default_iis_directory,
            "default_path_canonical": snapshot.canonical(snapshot.default_iis_directory),
            "problems": list(snapshot.problems),
        }

    def note(self, fact: str) -> None:
        self.evidence.append(fact)

    def conclude(self, verdict: str) -> Verdict:
        return Verdict(kb=self.kb, verdict=verdict, evidence=tuple(self.evidence), raw=self.raw)

    def undetermined(self, fact: str) -> Verdict:
        self.note(fact)
        self.evidence.extend(f"read failed: {problem}" for problem in self.snapshot.problems)
        return self.conclude(UNDETERMINED)


def _placement_or_verdict(decision: _Decision, services: t.Sequence[str]) -> _Placement | Verdict:
    """The checks every rule shares; a Verdict when they already decide."""
    snapshot = decision.snapshot
    iis = snapshot.iis
    if iis.installed is None:
        return decision.undetermined("the IIS setup registry keys could not be read")
    if not iis.installed:
        decision.note("IIS is not installed (no InetStp or Inetsrv\\CurrentVersion key)")
        return decision.conclude(NOT_APPLICABLE)
    if iis.major is None and iis.registry_key == r"HKLM\SOFTWARE\Microsoft\InetStp":
        return decision.undetermined("InetStp has no MajorVersion value")
    if iis.major != 4:
        version = f"{iis.major}.{iis.minor or 0}" if iis.major is not None else "2.0/3.0"
        decision.note(f"IIS {version} is installed; the defect exists only in IIS 4.0")
        return decision.conclude(NOT_APPLICABLE)
    decision.note(f"IIS 4.{iis.minor or 0} is installed ({iis.version_string or 'no version string'})")

    relevant = [snapshot.services[key] for key in services]
    for service in relevant:
        if service.installed is None:
            return decision.undetermined(f"the {service.service.name} service could not be queried")
    if not any(service.installed for service in relevant):
        names = " nor ".join(service.service.name for service in relevant)
        decision.note(f"neither {names} is installed" if len(relevant) > 1 else f"{names} is not installed")
        return decision.conclude(NOT_APPLICABLE)

    default_directory = snapshot.default_iis_directory
    if default_directory is None:
        return decision.undetermined("the Windows directory (%windir%) is unknown")
    iis_directory = iis_paths.expanded_path(iis.install_path, snapshot.env)
    source = "InstallPath"
    if iis_directory is None:
        iis_directory = iis_paths.parent_directory(iis.host_image_file, snapshot.env)
        source = "the IISADMIN image"
    if iis_directory is None:
        return decision.undetermined("IIS has no InstallPath and no IISADMIN image path")
    placement = _Placement(
        iis_directory=iis_directory,
        iis_canonical=snapshot.canonical(iis_directory) or "",
        default_directory=default_directory,
        default_canonical=snapshot.canonical(default_directory) or "",
    )
    decision.raw["iis_directory"] = iis_directory
    if placement.iis_canonical == placement.default_canonical:
        decision.note(f"IIS is in the default path {default_directory} (from {source})")
        return decision.conclude(NOT_AFFECTED)
    decision.note(f"IIS is at {iis_directory} (from {source}), outside the default path {default_directory}")
    return placement


def _failure_events(service: ServiceSnapshot, event_ids: t.Collection[int]) -> list[int]:
    return [event.event_id for event in service.failure_events if event.event_id in event_ids]


def _assess_mail_news(decision: _Decision, service: ServiceSnapshot, placement: _Placement) -> str:
    """'broken', 'healthy' or 'unclear' for one installed SMTP/NNTP service (Q197303)."""
    env = decision.snapshot.env
    name, dll = service.service.name, service.service.dll_name
    registered = iis_paths.expanded_path(service.install_path, env)
    if registered is None:
        registered = iis_paths.parent_directory(service.image_file, env)
    registered_canonical = iis_paths.canonical_path(registered, env)
    if registered_canonical == placement.default_canonical:
        registered_at = "default"
    elif registered_canonical == placement.iis_canonical:
        registered_at = "iis"
    else:
        registered_at = "elsewhere" if registered_canonical else None
    if service.install_path is not None:
        dll_present = service.dll_at_install_path.exists
    else:
        dll_present = {"default": service.dll_at_default_path.exists, "iis": service.dll_at_iis_path.exists}.get(
            registered_at or ""
        )
    failures = _failure_events(service, (7000, 7023))
    decision.raw.setdefault("services", {})[service.service.key] = {
        "state": service.state,
        "registered_directory": registered,
        "registered_at": registered_at,
        "dll_present": dll_present,
        "image_file": service.image_file,
        "image_file_exists": service.image_file_exists,
        "failure_event_ids": failures,
    }

    broken = False
    if registered is not None and dll_present is False:
        place = "the hard-coded default path" if registered_at == "default" else "its registered directory"
        decision.note(f"{name} is registered in {place} {registered}, where {dll} is missing")
        broken = True
    if service.image_file_exists is False:
        decision.note(f"{name}'s image {service.image_file} is missing")
        broken = True
    if not service.running and failures:
        decision.note(f"{name} is {service.state or 'not running'} with {len(failures)} Service Control Manager "
                      f"failure event(s) {sorted(set(failures))}")
        broken = True
    if broken:
        return "broken"
    if registered_at == "iis" and dll_present and service.image_file_exists:
        decision.note(f"{name} is registered in the IIS directory with {dll} and its image present ({service.state})")
        return "healthy"
    decision.note(f"{name} is registered at {registered or 'an unknown path'} ({registered_at or 'unknown'}), "
                  f"{dll} present: {dll_present}, image present: {service.image_file_exists}")
    return "unclear"


def evaluate_q197303(snapshot: HostSnapshot) -> Verdict:
    decision = _Decision("Q197303", snapshot)
    placement = _placement_or_verdict(decision, ("smtp", "nntp"))
    if isinstance(placement, Verdict):
        return placement
    statuses = [_assess_mail_news(decision, service, placement) for service in snapshot.installed_services()]
    if "broken" in statuses:
        return decision.conclude(AFFECTED)
    if all(status == "healthy" for status in statuses):
        return decision.conclude(FIXED)
    return decision.undetermined("the services are neither clearly broken nor clearly fixed")


def evaluate_q245208(snapshot: HostSnapshot) -> Verdict:
    decision = _Decision("Q245208", snapshot)
    placement = _placement_or_verdict(decision, (SMTP.key,))
    if isinstance(placement, Verdict):
        return placement
    env = snapshot.env
    smtp = snapshot.services[SMTP.key]
    image_directory = iis_paths.canonical_path(iis_paths.parent_directory(smtp.image_file, env), env)
    failures = _failure_events(smtp, (7000,))
    decision.raw["smtp_image_file"] = smtp.image_file
    decision.raw["smtp_image_file_exists"] = smtp.image_file_exists
    decision.raw["smtp_failure_event_ids"] = failures
    if image_directory == placement.default_canonical and smtp.image_file_exists is False:
        decision.note(f"SMTPSVC's image {smtp.image_file} is in the default path and missing")
        return decision.conclude(AFFECTED)
    if not smtp.running and failures:
        decision.note(f"SMTPSVC is {smtp.state or 'not running'} with {len(failures)} event(s) 7000")
        return decision.conclude(AFFECTED)
    install_path_ok = smtp.install_path is None or iis_paths.same_path(smtp.install_path, placement.iis_directory, env)
    if image_directory == placement.iis_canonical and smtp.image_file_exists and install_path_ok:
        decision.note(f"SMTPSVC runs {smtp.image_file} from the IIS directory and InstallPath agrees")
        return decision.conclude(FIXED)
    return decision.undetermined(f"SMTPSVC's image is {smtp.image_file or 'unknown'} "
                                 f"(present: {smtp.image_file_exists}), InstallPath {smtp.install_path or 'unset'}")


RULES: dict[str, t.Callable[[HostSnapshot], Verdict]] = {
    "Q197303": evaluate_q197303,
    "Q245208": evaluate_q245208,
}
SUPPORTED_KBS = tuple(RULES)


def evaluate(kb: str, snapshot: HostSnapshot) -> Verdict:
    try:
        rule = RULES[kb]
    except KeyError:
        raise ValueError(f"no rule for KB {kb!r}; supported: {', '.join(SUPPORTED_KBS)}") from None
    return rule(snapshot)
