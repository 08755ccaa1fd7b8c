# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: remediation_progress
short_description: Record, read or clear how far a KB procedure got on a Windows host
version_added: 1.0.0
description:
  - Keeps a small record on the host naming the last completed step of a KB procedure
    (C(started), C(staged), C(removed), C(overlaid), C(reinstalled), C(verified)).
  - Once SMTP and NNTP are removed, detection alone would call the host "not applicable"; the
    record is what tells the next run to carry on after an interruption, so the host never stays
    without its services.
  - Writing the step already recorded changes nothing.
options:
  kb:
    description: The KB article the procedure is for; one the collection knows.
    type: str
    choices: [Q197303, Q245208]
    default: Q197303
  state:
    description: C(present) records O(step), C(absent) clears the record, C(query) only reads it.
    type: str
    choices: [present, absent, query]
    default: present
  step:
    description: The step just completed. Required with C(state=present).
    type: str
    choices: [started, staged, removed, overlaid, reinstalled, verified]
  details:
    description: Small facts to keep with the step (for example the platform or the backup folder).
    type: dict
    default: {}
extends_documentation_fragment:
  - winops.iis_hotfix.agent_module
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
notes:
  - The record lives in C(%SystemRoot%\\Temp\\win-primitive-agent\\state) on the host.
seealso:
  - module: winops.iis_hotfix.host_lock
author:
  - WinOps maintainers (@winops)
"""

EXAMPLES = r"""
- name: Read where an earlier run stopped
  winops.iis_hotfix.remediation_progress:
    kb: Q197303
    state: query
  register: progress

- name: Record that SMTP and NNTP were removed
  winops.iis_hotfix.remediation_progress:
    kb: Q197303
    step: removed
    details:
      platform: x86

- name: Clear the record once the host is verified
  winops.iis_hotfix.remediation_progress:
    kb: Q197303
    state: absent
"""

RETURN = r"""
progress:
  description: The record as it is after the task (null when there is none).
  returned: always
  type: dict
  sample: {"kb": "Q197303", "step": "removed", "steps_done": ["started", "staged", "removed"], "details": {}}
updated:
  description: With C(state=query), when the record was last written (UTC).
  returned: when state is query
  type: str
msg:
  description: What happened.
  returned: when state is present or absent
  type: str
"""
