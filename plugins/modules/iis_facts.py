# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: iis_facts
short_description: Audit IIS, SMTP and NNTP placement and decide KB verdicts such as Q197303
version_added: 1.0.0
description:
  - Reads, in one round trip per host, where IIS is installed, which IIS version it is, how the
    SMTP (C(SMTPSVC)) and NNTP (C(NNTPSVC)) services are registered, whether their files exist,
    and the recent Service Control Manager failure events 7000 and 7023.
  - Decides a verdict per requested KB article and returns it with the evidence behind it under
    C(ansible_facts.iis_hotfix.kb.<KB>).
  - Read-only. The module changes nothing on the host and always returns C(changed=false), in
    check mode and outside it.
  - Runs through the task's own connection (C(winrm), C(psrp) or C(ssh) with the PowerShell shell)
    and needs Windows PowerShell 2.0 or later on the host, so it also reaches Windows Server 2003
    and 2008, which modules that need PowerShell 5.1 cannot.
  - "Paths are compared canonically: case, C(%windir%) versus C(%SystemRoot%), C(/) versus C(\\),
    doubled and trailing separators, C(.) and C(..) segments do not matter. 8.3 short names
    (C(C:\\PROGRA~1)) are compared as written."
  - "Verdicts, checked in this order. C(undetermined): a read the decision needs failed (for
    example registry access denied); the failed reads are listed in the evidence.
    C(not_applicable): IIS is not installed, or its major version is not 4, or none of the KB's
    services is installed. C(not_affected): IIS 4 is installed in C(%windir%\\system32\\inetsrv)."
  - "Q197303 (IIS 4 outside the default path), judged per installed SMTP/NNTP service. A service
    is broken when it is registered (C(Parameters\\InstallPath), else the directory of its image)
    in a directory where its DLL (C(smtpsvc.dll), C(nntpsvc.dll)) is missing, typically the
    hard-coded default path; or when its image file is missing; or when it is not running and
    events 7000/7023 name it or name no service (the defect logs an empty service name). A
    service is healthy when it is registered in the IIS directory with its DLL and image present.
    C(affected) if any service is broken, C(fixed) if all are healthy, else C(undetermined).
    A healthy service that is merely stopped without failure events still counts as fixed:
    the cause, the registration, is what the verdict measures."
  - "Q245208 (SMTP added after a non-default IIS 4 install). C(affected) when the SMTP image
    (C(inetinfo.exe)) is registered in the default path and missing there, or SMTP is not
    running with events 7000 naming it or no service. C(fixed) when the SMTP image is in the IIS
    directory and present and C(InstallPath), when set, points at the IIS directory. Otherwise
    C(undetermined)."
  - "Unfinished work overrides every verdict with C(undetermined), never compliant: a remediation
    whose progress record is still on the host (removal or reinstall interrupted), a setup run of
    M(winops.iis_hotfix.iis_component) not recorded as finished, or mail and news data waiting in
    its backup to be restored. The evidence says what is unfinished; C(raw.unfinished) lists it.
    The next run of the remediate role resumes the work."
options:
  kb:
    description:
      - The KB articles to decide a verdict for.
    type: list
    elements: str
    choices: [Q197303, Q245208]
    default: [Q197303]
  event_lookback:
    description:
      - How many of the newest Service Control Manager events 7000 and 7023 to read from the
        System log (between 1 and 10000).
    type: int
    default: 20
  ignore_progress:
    description:
      - Do not read the remediation's progress record (the remediate role sets this when it checks
        its own work before clearing the record). Pending setup runs and backups still count.
    type: bool
    default: false
extends_documentation_fragment:
  - winops.iis_hotfix.agent_module
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
    details: The module never changes anything, so there is never a difference to show.
  facts:
    description: Action returns an C(ansible_facts) dictionary that will update existing host facts.
    support: full
notes:
  - The remote work is done by a fixed PowerShell script sent on stdin with every run; it reads
    the registry, the service control manager, the System event log and file metadata, and
    nothing else. No value from the task is ever turned into PowerShell code. Its requests and
    responses are described in C(docs/agent-protocol.md) in the collection.
  - The script runs as the connecting account, which must be allowed to read the registry keys
    of IIS and of the services, and the System event log (administrators are). C(become) is
    ignored, and C(async) is not supported.
  - Hosts that cannot be reached are reported as unreachable, never with a verdict.
author:
  - WinOps maintainers (@winops)
"""

EXAMPLES = r"""
- name: Audit every IIS host for KB Q197303 without changing anything
  winops.iis_hotfix.iis_facts:

- name: Report the hosts that need the hotfix
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }}: {{ ansible_facts.iis_hotfix.kb.Q197303.verdict }}"

- name: Decide both KB articles and read more failure events
  winops.iis_hotfix.iis_facts:
    kb:
      - Q197303
      - Q245208
    event_lookback: 100

- name: Show why a host is affected
  ansible.builtin.debug:
    var: ansible_facts.iis_hotfix.kb.Q197303.evidence
  when: ansible_facts.iis_hotfix.kb.Q197303.verdict == 'affected'
"""

RETURN = r"""
ansible_facts:
  description: Facts about IIS, SMTP and NNTP on the host, and the KB verdicts.
  returned: success
  type: dict
  contains:
    iis_hotfix:
      description: Everything the audit read and decided.
      returned: success
      type: dict
      contains:
        os:
          description: Windows version (C(version), C(build), C(service_pack), C(product_name)).
          returned: success
          type: dict
          sample: {"version": "4.0.1381.0", "build": 1381, "service_pack": "Service Pack 6", "product_name": null}
        architecture:
          description:
            - C(native) is the processor architecture of Windows itself (C(PROCESSOR_ARCHITEW6432) when the
              agent runs as a 32-bit process on 64-bit Windows), C(process) that of the agent's process.
          returned: success
          type: dict
          sample: {"native": "x86", "process": "x86"}
        powershell_version:
          description: The Windows PowerShell version that ran the agent.
          returned: success
          type: str
          sample: "2.0"
        iis:
          description:
            - IIS version (C(version.major), C(version.minor), C(version.string)) and registry key read.
            - C(install_path) as stored, C(install_path_expanded), C(install_path_canonical).
            - C(default_path) is C(%windir%\system32\inetsrv) expanded, with C(default_path_canonical).
            - C(outside_default_path) is true when IIS is elsewhere, null when unknown.
          returned: success
          type: dict
          sample:
            installed: true
            version: {"major": 4, "minor": 0, "string": "Version 4.0"}
            registry_key: HKLM\SOFTWARE\Microsoft\InetStp
            install_path: D:\Inetsrv
            install_path_expanded: D:\Inetsrv
            install_path_canonical: D:\INETSRV
            host_image_file: D:\Inetsrv\inetinfo.exe
            default_path: C:\WINNT\system32\inetsrv
            default_path_canonical: C:\WINNT\SYSTEM32\INETSRV
            outside_default_path: true
        smtp:
          description:
            - The SMTP service C(SMTPSVC) - C(installed), C(name), C(display_name), C(state), C(start_mode),
              C(image_path) as stored, C(image_file) and C(image_file_exists), C(install_path) (the
              C(Parameters\InstallPath) value), C(exit_code), C(process_id).
            - C(dll) tells whether C(smtpsvc.dll) exists in the registered install path, the IIS path and the
              default path.
            - C(failure_events) are the recent events 7000/7023 that name this service or name no service.
          returned: success
          type: dict
          sample:
            installed: true
            name: SMTPSVC
            display_name: Microsoft SMTP Service
            state: stopped
            start_mode: auto
            image_path: D:\Inetsrv\inetinfo.exe
            image_file: D:\Inetsrv\inetinfo.exe
            image_file_exists: true
            install_path: C:\WINNT\System32\inetsrv
            install_path_canonical: C:\WINNT\SYSTEM32\INETSRV
            exit_code: 2
            process_id: 0
            dll:
              name: smtpsvc.dll
              at_install_path: {"path": "C:\\WINNT\\System32\\inetsrv\\smtpsvc.dll", "exists": false}
              at_iis_path: {"path": "D:\\Inetsrv\\smtpsvc.dll", "exists": true}
              at_default_path: {"path": "C:\\WINNT\\system32\\inetsrv\\smtpsvc.dll", "exists": false}
            failure_events:
              - {"event_id": 7023, "time": "1999-01-04T09:12:44Z", "record": 812, "service_label": "", "message": null}
        nntp:
          description: The NNTP service C(NNTPSVC), with the same keys as C(smtp) (its DLL is C(nntpsvc.dll)).
          returned: success
          type: dict
        events_complete:
          description: False when the event log was larger than the agent scans, so older failures may be missing.
          returned: success
          type: bool
        problems:
          description: Reads that failed on the host (each also raises a warning); empty when all succeeded.
          returned: success
          type: list
          elements: str
        kb:
          description:
            - One entry per requested KB article, keyed by its number.
            - C(verdict) is one of C(affected), C(fixed), C(not_affected), C(not_applicable), C(undetermined).
            - C(evidence) lists short facts that led to it; C(raw) holds the values they came from.
          returned: success
          type: dict
          sample:
            Q197303:
              verdict: affected
              evidence:
                - IIS 4.0 is installed (Version 4.0)
                - IIS is at D:\Inetsrv (from InstallPath), outside the default path C:\WINNT\system32\inetsrv
                - SMTPSVC is registered in the hard-coded default path C:\WINNT\System32\inetsrv, where
                  smtpsvc.dll is missing
              raw: {"iis_major": 4, "iis_install_path": "D:\\Inetsrv", "default_path": "C:\\WINNT\\system32\\inetsrv"}
"""
