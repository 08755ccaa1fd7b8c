# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: iis_component
short_description: Remove or install the IIS 4.0 SMTP and NNTP services with Option Pack setup, keeping their data
version_added: 1.0.0
description:
  - Removes (O(state=absent)) or installs (O(state=present)) the SMTP (C(SMTPSVC)) and NNTP (C(NNTPSVC))
    services of IIS 4.0 by running Windows NT 4.0 Option Pack setup unattended from an installation
    point on the host, as the procedure of KB Q197303 asks (remove, then install again from an
    installation point that holds the fix files).
  - "Before a removal, with O(preserve_data=true), the data the removal may delete is backed up on the
    host and verified: the SMTP Mailroot (C(Queue), C(Pickup), C(Drop), C(BadMail), C(MailBox),
    C(Route), C(SortTemp)), the NNTP store (C(nntpfile)) and the IIS metabase. Their manifest
    (relative paths, sizes, SHA-256) is kept in a record on the host, so that a later O(state=present)
    run, from another task or playbook, restores exactly that data after the installation and
    verifies it file by file."
  - "Removal: the services being removed are stopped, the backup is brought up to date and read
    back, then setup runs with an answer file saying C([Global] MaintanenceMode=AddRemove) and
    C([Components] iis_smtp/iis_nntp=OFF). The module waits for setup (it runs detached from the
    connection, so a dropped connection does not stop it), showing progress, then checks the
    services are gone."
  - "Installation: setup runs from O(source) with the components C(ON). While it runs,
    C(HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Setup\\SourcePath) points at O(source); the
    previous value is kept in the host-side record and put back afterwards. Then a backup waiting to
    be restored is copied back (only files that are missing or differ; a live file that is replaced is
    first kept in C(<backup>.replaced)), verified against the manifest, and IIS Admin and the services
    are started. The task fails when a service does not run or a new Service Control Manager event 7000
    or 7023 about it (or about no named service, as KB Q197303's symptom logs it) appears after the task
    began."
  - "When setup fails the task fails with its exit code and the errors setup recorded under
    C(HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Setup\\OC Manager\\MasterInfs\\Errors)."
  - "Idempotent: a component already in the requested state, with no backup waiting to be restored,
    is left alone and no write operation is sent to the host. Check mode makes one read-only round
    trip and reports the plan: what would be backed up (files, bytes), removed, installed, restored and
    started."
  - "Resumable: every step looks at the host first, and the host-side record tells what an earlier
    run did, so a run interrupted at any point (connection lost, controller stopped, timeout) converges
    when the task runs again: a setup still running is waited for and its outcome recorded, SourcePath
    is put back, an interrupted backup is completed, a verified backup is not copied again, and a
    backup whose component was removed is restored by the next O(state=present) run."
options:
  name:
    description:
      - The components to manage.
    type: list
    elements: str
    choices: [smtp, nntp]
    required: true
  state:
    description:
      - V(absent) removes the components that are installed (their service is registered), backing up
        their data first with O(preserve_data).
      - V(present) installs the components that are missing from O(source), restores data a removal
        backed up, and starts the services with O(start_services).
    type: str
    choices: [present, absent]
    default: present
  source:
    description:
      - The installation point, a directory on the host (C(D:\\ntoptpak\\x86) or a UNC path the
        connecting account can read without delegation) holding Option Pack C(setup.exe), its master
        INF and the component INFs (C(Ims.inf) for SMTP, C(Ins.inf) for NNTP). Setup runs from there.
      - Required with O(state=present). With O(state=absent) it is needed only when a component has to
        be removed; the task fails before changing anything when it is missing then, or when the
        directory lacks those files.
    type: str
  preserve_data:
    description:
      - Back up the data at risk before a removal and restore it after an installation.
      - With V(false) nothing is backed up, and a backup waiting to be restored is left where it is
        (a warning says so).
    type: bool
    default: true
  backup_dir:
    description:
      - Directory on the host for the backups (one folder per data set, C(Mailroot), C(nntpfile),
        C(metabase)) and for setup's answer files. Environment variables in C(%NAME%) form are
        expanded with the host's values; a variable the host does not set, or a name Windows
        forbids (with one of the characters C(<>:"|?*), or a device name such as C(CON)), fails the task
        before anything is written.
      - It must lie apart from what the procedure deletes or replaces, neither inside nor around the SMTP
        Mailroot, the NNTP store, the IIS directory or the installation point O(source). Otherwise the
        task fails before anything is written (a backup inside Mailroot would be deleted with it). The
        same rule holds for O(source) against the data and the IIS directory.
      - A later run restores from the folder the host-side record names, even when this option
        changed since.
    type: str
    default: '%SystemDrive%\IisHotfix\Backup'
  timeout:
    description:
      - Seconds to wait for one setup run. When it is reached the task fails, setup carries on, and the
        next run of the task waits for it and finishes the work.
    type: int
    default: 3600
  start_services:
    description:
      - With O(state=present), start IIS Admin and the services that are not running and check that they
        run without new failure events. With V(false) the services are left as setup leaves them
        (services stopped to restore data are started again).
    type: bool
    default: true
  mailroot:
    description:
      - The SMTP Mailroot folder, when it is not C(Mailroot) in the Inetpub folder (the parent of
        C(InetStp\\PathWWWRoot), else C(%SystemDrive%\\Inetpub)), which is where setup creates it. IIS
        keeps moved Mailroot folders only in its binary metabase (KB Q247958), which is not read.
    type: str
  nntpfile:
    description:
      - The NNTP store folder, when it is not C(nntpfile) in the Inetpub folder.
    type: str
extends_documentation_fragment:
  - winops.iis_hotfix.agent_module
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details: The state of each component before and after.
notes:
  - "The metabase is backed up with the other data but copied back only when it is missing after the
    installation: setup rewrites it when it adds a service and IIS Admin holds it open. When the live
    metabase differs from the backup a warning names the backup, to be restored with IIS's
    configuration Backup/Restore if settings are missing."
  - A backup that waits to be restored is never overwritten. If a component was installed again by
    other means and the task removes it again, live files the backup lacks are added to it and live
    files that differ are kept in C(<backup>.superseded).
  - The module takes the host lock C(winops.iis_hotfix.iis_component) (agent C(lock.acquire)) for its
    writes, so two runs of it never work on one host at the same time; a run that dies leaves it for 15
    minutes at most. It is not the run lock of M(winops.iis_hotfix.host_lock), which the role takes
    around the whole procedure; holding that one does not block this module.
  - Host-side records C(winops.iis_hotfix.iis_component) and C(winops.iis_hotfix.iis_component.setup)
    are kept by the agent under C(%SystemRoot%\\Temp\\win-primitive-agent\\state).
  - Setup's own log (C(%windir%\\iis4setup.log)) is named in a failure message but not read; the agent has no
    operation that reads file content.
  - "Round trips (agent batches) per run: 1 in check mode and when nothing is to be done; a removal with
    a backup 6, an installation with a restore 5, each plus one per poll of setup (setup is polled
    every 10 seconds); copy batches hold at most 400 operations, so large mail queues add batches."
  - The remote work is done by the collection's fixed PowerShell agent over the task's connection
    (Windows PowerShell 2.0 or later); it runs as the connecting account, which must be an
    administrator. C(become) is ignored and C(async) is not supported.
seealso:
  - module: winops.iis_hotfix.iis_facts
  - module: winops.iis_hotfix.hotfix_overlay
author:
  - WinOps maintainers (@winops)
"""

EXAMPLES = r"""
- name: Remove SMTP and NNTP, backing up the mail queues, the news store and the metabase
  winops.iis_hotfix.iis_component:
    name: [smtp, nntp]
    state: absent
    source: C:\IisHotfix\InstallPoint\x86

- name: Install them again from the installation point holding the fix files, restore the data
  winops.iis_hotfix.iis_component:
    name: [smtp, nntp]
    state: present
    source: C:\IisHotfix\InstallPoint\x86
  register: reinstall

- name: Show what came back
  ansible.builtin.debug:
    msg: "{{ reinstall.restored.files }} files restored, setup took {{ reinstall.setup.duration }} s"

- name: Preview the whole procedure without changing anything
  winops.iis_hotfix.iis_component:
    name: [smtp]
    state: absent
    source: D:\ntoptpak\x86
    backup_dir: D:\Backups\iis
  check_mode: true
  diff: true
"""

RETURN = r"""
components:
  description: Per requested component, its state before and after (V(absent), V(running), V(stopped)...).
  returned: always
  type: dict
  sample: {"smtp": {"before": "stopped", "after": "absent"}, "nntp": {"before": "stopped", "after": "absent"}}
backup:
  description: >-
    The backup directory and what the backups hold (in check mode: what they would hold), in total and
    per data set (V(mailroot), V(nntpfile), V(metabase)) with its folder, its source, how it was made
    (V(mirror), V(additive) or V(reuse)) and how many files were copied.
  returned: always
  type: dict
  sample:
    dir: C:\IisHotfix\Backup
    files: 14
    bytes: 10432
    datasets:
      mailroot: {"path": "C:\\IisHotfix\\Backup\\Mailroot", "source": "C:\\Inetpub\\Mailroot", "mode": "mirror",
                 "files": 6, "bytes": 2210, "copied": 6}
restored:
  description: >-
    Files copied back (V(files)) and files verified against the manifest (V(verified)) after an
    installation, in total and per data set.
  returned: always
  type: dict
  sample: {"files": 14, "verified": 14, "datasets": {}}
setup:
  description: >-
    The setup run of this task (V(action) install or remove, V(components), V(exit_code), V(duration) in
    seconds).
  returned: always (null when setup did not run)
  type: dict
  sample: {"action": "remove", "components": ["smtp", "nntp"], "exit_code": 0, "duration": 4.2}
events:
  description: New Service Control Manager events 7000/7023 about the services since the task began.
  returned: always
  type: list
  elements: dict
  sample: []
plan:
  description: In check mode, what the task would do.
  returned: check mode
  type: dict
  sample: {"backup": [{"dataset": "mailroot", "mode": "mirror", "files": 6, "bytes": 2210}], "remove": ["smtp"],
           "install": [], "restore": [], "start": [], "finish_earlier_setup": null}
round_trips:
  description: Agent batches sent to the host by this task.
  returned: always
  type: int
  sample: 6
details:
  description: On failure, structured detail such as setup's V(exit_code) and V(setup_errors).
  returned: failure
  type: dict
msg:
  description: What was done, would be done, or why the task failed.
  returned: always
  type: str
  sample: "done: back up 14 files of the SMTP Mailroot, IIS metabase; remove SMTP"
"""
