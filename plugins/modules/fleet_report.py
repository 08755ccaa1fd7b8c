# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: fleet_report
short_description: Write the fleet report (JSON, HTML page, JUnit XML) of an audit or remediation run
version_added: 1.0.0
description:
  - Runs on the Ansible controller only, once per play (C(run_once=true), usually with
    C(delegate_to=localhost)). It reads what each host of the play returned and writes, into
    O(report_dir), C(report.json), C(report.html) and C(junit.xml). No Windows host is contacted.
  - "Per host it reads these variables (all optional; the names are fixed).
    C(iis_hotfix_audit) is the registered result of the first M(winops.iis_hotfix.iis_facts) task:
    its C(ansible_facts.iis_hotfix.kb) verdicts, or why it failed or could not reach the host.
    C(iis_hotfix_reaudit) is the registered result of the iis_facts task run after remediation: the
    verdicts after. C(iis_hotfix_step) is the registered result of the latest remediation step
    (Ansible registers it even when the connection failed, so it tells when a host became
    unreachable half-way). C(iis_hotfix_actions) is a list the role builds with C(set_fact), one entry per
    step: C(step) (name, required), C(status) (C(changed), C(ok), C(skipped) or C(failed); in check
    mode C(changed) means would change), C(kb), C(summary) (one line), C(details) (a mapping).
    C(iis_hotfix_failure) is C({task, msg}), set in a C(rescue) to say why a host failed."
  - "Verdicts come from the registered results of this run only, never from facts alone, so facts
    cached by an earlier run (for example AWX's fact cache) cannot make a host look compliant."
  - "Each host gets a status, the first that holds: C(unreachable) (a registered audit or step result
    says so, or the host left the play before any audit came back); C(failed) (C(iis_hotfix_failure) is set, an audit
    or an action failed, or the host left the play after its audit); C(not_audited) (still in the play
    but no audit result, for example a later C(serial) batch); C(ok)."
  - "Each host and KB gets an outcome: the verdict (C(affected), C(fixed), C(not_affected),
    C(not_applicable), C(undetermined)) when the host is C(ok), else its status. A host is compliant
    only when it is C(ok) and every outcome is C(fixed), C(not_affected) or C(not_applicable).
    Unreachable, failed and not audited hosts are never compliant."
  - "In O(mode=remediate) the verdicts after are those of C(iis_hotfix_reaudit); without it they are
    those of the audit, unless an action changed the host outside check mode, which makes the
    outcome C(undetermined)."
  - "C(report.json) holds C(schema_version) (1), C(generator), C(title), C(generated_at) (UTC),
    C(mode), C(check_mode), C(kbs), C(run) (play name and AWX job details), C(summary) (as returned
    below) and C(hosts): one entry per host with C(name), C(status), C(reason), C(compliant),
    C(changed), C(system) (Windows and IIS version, IIS path), C(kb) (per KB C(outcome), C(verdict),
    C(evidence), C(before)), C(actions) and C(problems). A JSON Schema of it ships as
    C(docs/awx/fleet-report.schema.json)."
  - "C(report.html) is one self-contained page (inline CSS and SVG, no script, nothing loaded from
    the network): counts per outcome with a bar chart per KB, and a table of the hosts, those that
    need attention first, with the evidence and what was done. Every value is HTML-escaped."
  - "C(junit.xml) has one test suite per KB and one test case per host. C(fixed) and C(not_affected)
    pass; C(not_applicable) is skipped; C(affected), C(undetermined), C(unreachable), C(failed) and
    C(not_audited) are failures whose C(type) is the outcome. Each test case carries the properties
    C(status), C(outcome), C(verdict) and C(before), and the evidence and actions as system-out."
options:
  report_dir:
    description:
      - Directory on the controller to write the files into; created when missing. Existing report
        files there are replaced.
      - Defaults to the variable C(iis_hotfix_report_dir), else C(iis_hotfix_report) in the current
        directory of C(ansible-playbook). Relative paths are relative to that directory too.
    type: path
  mode:
    description:
      - C(audit) reports the verdicts of C(iis_hotfix_audit) (or C(iis_hotfix_reaudit) when present).
      - C(remediate) also shows each host's verdicts before (from C(iis_hotfix_audit)) and after.
    type: str
    choices: [audit, remediate]
    default: audit
  kb:
    description:
      - The KB articles to report. Defaults to every KB the audits returned (C(Q197303) when none did).
      - A host that returned no verdict for a listed KB gets the outcome C(undetermined).
    type: list
    elements: str
  hosts:
    description:
      - Every host the run targeted. Defaults to C(ansible_play_hosts_all) of the play.
      - Use it when the report runs in a play of its own, for example O(hosts=groups['iis']).
    type: list
    elements: str
  active_hosts:
    description:
      - The hosts still in the play, neither failed nor unreachable.
      - Defaults to C(ansible_play_hosts) when O(hosts) is not set, else to O(hosts) (a later play
        cannot see which hosts an earlier one lost; the registered results still tell).
    type: list
    elements: str
  host_data:
    description:
      - Per host name, the report variables (C(iis_hotfix_audit), C(iis_hotfix_reaudit),
        C(iis_hotfix_step), C(iis_hotfix_actions), C(iis_hotfix_failure)) to use instead of that
        host's C(hostvars),
        for example data saved by an earlier run.
    type: dict
  formats:
    description: Which files to write.
    type: list
    elements: str
    choices: [json, html, junit]
    default: [json, html, junit]
  title:
    description: Title of the report (page heading, JUnit C(testsuites) name).
    type: str
    default: IIS hotfix fleet report
  publish_stats:
    description:
      - Also return the summary, the file paths and each host's outcomes as custom stats named
        C(iis_hotfix_report), like M(ansible.builtin.set_stats) does. AWX and Automation Platform keep
        custom stats as the job's artifacts.
    type: bool
    default: true
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed
      on the controller.
    support: full
  async:
    description: Supports being used with the C(async) keyword.
    support: none
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - The report is written in check mode too. It changes only files on the controller, never a
        host, and an audit run with C(--check) is exactly when an auditor wants the report.
      - The task always returns C(changed=false), in check mode and outside it.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: all
    details: Runs on the controller only; the task's host is never contacted.
notes:
  - "With C(serial), C(run_once) runs once per batch: each batch rewrites the report with the hosts
    processed so far, and hosts of later batches are listed as C(not_audited) until their turn."
  - "Ansible ends a play when every host of a batch has failed or is unreachable, so a C(run_once)
    report task in that play would not run. Set C(ignore_unreachable=true) on the audit task to keep
    unreachable hosts in the play (the report still lists them as C(unreachable) from
    C(iis_hotfix_audit)), or write the report in a later play with O(hosts)."
author:
  - WinOps maintainers (@winops)
"""

EXAMPLES = r"""
- name: Audit every IIS host
  winops.iis_hotfix.iis_facts:
  register: iis_hotfix_audit
  # Keeps hosts that cannot be reached in the play, so the report below runs even if all are down.
  ignore_unreachable: true

- name: Write the fleet report
  winops.iis_hotfix.fleet_report:
  run_once: true
  delegate_to: localhost
  register: iis_hotfix_report

- name: Show the summary
  ansible.builtin.debug:
    msg: "{{ iis_hotfix_report.msg }}"
  run_once: true

- name: Fail the run when a host is not compliant (for a CI gate)
  ansible.builtin.assert:
    that: iis_hotfix_report.summary.noncompliant == 0
    fail_msg: "Not compliant: {{ iis_hotfix_report.summary.noncompliant_hosts | join(', ') }}"
  run_once: true

- name: Record a remediation step for the report
  ansible.builtin.set_fact:
    iis_hotfix_actions: "{{ iis_hotfix_actions | default([]) + [{'step': 'backup', 'status': 'changed',
      'kb': 'Q197303', 'summary': 'backed up the mail queues and the metabase'}] }}"

- name: Write the remediation report in a play of its own, into a chosen directory
  winops.iis_hotfix.fleet_report:
    hosts: "{{ groups['iis'] }}"
    mode: remediate
    report_dir: /var/lib/iis_hotfix/reports
    formats: [json, junit]
"""

RETURN = r"""
msg:
  description: One line for people, with the counts and where the files are.
  returned: success
  type: str
  sample: "3 host(s): 1 compliant, 2 not compliant (Q197303: 1 affected, 1 fixed, 1 unreachable); report written to ..."
files:
  description: Absolute path of each file written, by format.
  returned: success
  type: dict
  sample: {"json": "/srv/reports/report.json", "html": "/srv/reports/report.html", "junit": "/srv/reports/junit.xml"}
summary:
  description: The counts, also written as C(summary) in C(report.json).
  returned: success
  type: dict
  contains:
    hosts:
      description: How many hosts the report lists.
      type: int
      returned: success
    compliant:
      description: Hosts that were reached and whose every outcome is fixed, not_affected or not_applicable.
      type: int
      returned: success
    noncompliant:
      description: All other hosts, unreachable, failed and not audited ones included.
      type: int
      returned: success
    changed:
      description: Hosts with at least one action C(changed) (would change, in check mode).
      type: int
      returned: success
    by_status:
      description: Hosts per status (C(ok), C(unreachable), C(failed), C(not_audited)).
      type: dict
      returned: success
      sample: {"ok": 2, "unreachable": 1, "failed": 0, "not_audited": 0}
    by_kb:
      description: Per KB, hosts per outcome (every verdict and every status other than C(ok)).
      type: dict
      returned: success
      sample:
        Q197303: {"affected": 1, "fixed": 1, "not_affected": 0, "not_applicable": 0, "undetermined": 0,
                  "unreachable": 1, "failed": 0, "not_audited": 0}
    noncompliant_hosts:
      description: Names of the hosts that are not compliant.
      type: list
      elements: str
      returned: success
    unreachable_hosts:
      description: Names of the unreachable hosts.
      type: list
      elements: str
      returned: success
    failed_hosts:
      description: Names of the failed hosts.
      type: list
      elements: str
      returned: success
"""
