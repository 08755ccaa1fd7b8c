# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: host_lock
short_description: Take or release a named run lock on a Windows host
version_added: 1.0.0
description:
  - Keeps two runs (two administrators, two AWX jobs) from working on the same host at once.
    The lock is a file created with an exclusive create on the host, holding its owner and expiry.
  - The lock is held as C(<owner> run <process>), where the process is the C(ansible-playbook) (or
    C(ansible)) process on the controller. A lock held by the same run is renewed (its expiry moves on).
  - A lock held by another run of the same owner whose process has ended on this controller (a run
    that was interrupted, killed or lost its connection) is taken over at once, so the next run resumes
    immediately; while that process still runs, the task fails. A lock held by another owner fails
    the task with a message naming the holder and the expiry, and changes nothing, until it expires
    (O(ttl_seconds)); an expired lock is taken over.
  - Releasing (O(state=absent)) frees the lock of this run, or of an ended run of the same owner.
  - The role C(winops.iis_hotfix.remediate) takes this lock around the KB procedure.
options:
  name:
    description: Name of the lock (letters, digits, C(_), C(-) and C(.), up to 64 characters).
    type: str
    default: iis_hotfix
  state:
    description: C(present) takes (or renews) the lock, C(absent) releases it.
    type: str
    choices: [present, absent]
    default: present
  owner:
    description:
      - Who holds the lock. Defaults to C(ansible:<controller user>@<controller host>), so a rerun
        from the same controller and account after an interruption takes over the lock of the ended
        run at once, while a run from another controller or account is refused until the lock expires
        or is released.
    type: str
  ttl_seconds:
    description: How long the lock lasts without renewal (1 to 86400 seconds).
    type: int
    default: 7200
  force:
    description: With C(state=absent), release the lock even when another owner holds it.
    type: bool
    default: false
extends_documentation_fragment:
  - winops.iis_hotfix.agent_module
attributes:
  check_mode:
    support: full
    details: In check mode only the presence of the lock file is read; its holder is not known.
  diff_mode:
    support: none
notes:
  - The lock lives in C(%SystemRoot%\\Temp\\win-primitive-agent\\lock) on the host.
  - Runs through the task's connection with Windows PowerShell 2.0 or later; C(become) is ignored.
seealso:
  - module: winops.iis_hotfix.remediation_progress
author:
  - WinOps maintainers (@winops)
"""

EXAMPLES = r"""
- name: Take the run lock before changing the host
  winops.iis_hotfix.host_lock:
    name: iis_hotfix
    ttl_seconds: 3600

- name: Release it when done
  winops.iis_hotfix.host_lock:
    name: iis_hotfix
    state: absent

- name: Clear a lock left by a run that is known to be gone
  winops.iis_hotfix.host_lock:
    state: absent
    force: true
"""

RETURN = r"""
msg:
  description: What happened.
  returned: always
  type: str
  sample: took the run lock 'iis_hotfix'
name:
  description: The lock's name.
  returned: always
  type: str
owner:
  description: The owner used.
  returned: always
  type: str
  sample: ansible:admin@controller01
lock:
  description: The host's answer (C(changed), C(owner), C(acquired), C(expires), C(previous_owner)).
  returned: when not in check mode
  type: dict
held:
  description: In check mode, whether a lock file exists.
  returned: check mode
  type: bool
"""
