# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: hotfix_overlay
short_description: Replace the setup files of an installation point with a hotfix's files, such as KB Q197303's
version_added: 1.0.0
description:
  - Applies a hotfix manifest to an installation point on a Windows host (a folder holding the
    installation files, for example the Windows NT 4.0 Option Pack's C(x86) folder) - every file the
    manifest lists for the host's platform is replaced by the user's fix file, each original is
    backed up first.
  - Built-in manifests are C(Q197303) (SMTP and NNTP of IIS 4.0 installed outside
    C(%windir%\system32\inetsrv)) and C(Q254590); a manifest file of your own can describe another
    fix (schema in C(docs/manifests.md) in the collection).
  - The fix files come from the controller (O(fix_files)); Microsoft's files are not shipped with the
    collection.
  - "Before anything is changed, every fix file of the host's platform is checked - it must be present;
    a binary (C(pe) in the manifest) must be a PE image of the platform's machine type (an Alpha file
    offered for an x86 host is refused); and the 'or later' rule of the KB tables must hold - the file
    has exactly the size the KB lists for its platform, or its sha256 matches a pin given in O(sha256)
    (this is how a later build of a fix file is accepted), or, when the manifest pins a sha256, it
    matches that pin. A file of another size without a pin is never taken for a later build. Dates and
    versions in the KB tables are not checked - file times do not survive copying reliably."
  - The installation point must exist and hold every file the manifest replaces, else the task fails
    and changes nothing.
  - "One read round trip looks at the host; only when some file differs from the fix, one write round
    trip (more for fixes larger than 1.5 MB) stages the fix files under
    C(<path>\\.hotfix-backup\\<KB>\\incoming), verifies their sha256, and copies each over its original
    after backing the original up to C(<path>\\.hotfix-backup\\<KB>\\<file>). A backup is never
    overwritten - it keeps the original from the first run. The replaced files keep the fix files'
    modification times."
  - Idempotent - when every file already equals its fix file the module reports C(changed=false) and
    sends no write.
  - "Usual place in the KB Q197303 procedure: remove SMTP and NNTP, stage the installation point
    (C(winops.iis_hotfix.install_point)), run this module, then reinstall SMTP and NNTP from the
    installation point (C(winops.iis_hotfix.iis_component))."
options:
  path:
    description:
      - The installation point on the host, an absolute path such as C(C:\NTOPTPAK\x86) or a UNC path
        the connecting account can write to.
    type: str
    required: true
  kb:
    description:
      - The built-in manifest to apply.
      - Ignored when O(manifest) is given; setting both is an error.
    type: str
    choices: [Q197303, Q254590]
    default: Q197303
  manifest:
    description:
      - A manifest file (YAML, or JSON when its name ends in C(.json)) on the controller describing the
        fix, instead of a built-in one.
      - It is validated against the schema of C(docs/manifests.md); every problem is reported with its
        place in the file.
      - A relative path is searched like the C(src) of M(ansible.builtin.copy) (the role's C(files)
        folder, then the playbook's).
    type: path
  fix_files:
    description:
      - The folder on the controller holding the fix files.
      - Either flat (the files of one platform) or with one subfolder per platform - C(x86) (or
        C(i386)), C(alpha), C(amd64), C(ia64), any case - from which the host's platform is taken.
      - Files the manifest does not list for the platform are ignored with a warning.
      - A relative path is searched like the C(src) of M(ansible.builtin.copy).
    type: path
    required: true
  platform:
    description:
      - The platform whose fix files are applied.
      - C(auto) takes the host's native processor architecture (C(PROCESSOR_ARCHITEW6432) when the agent
        runs as a 32-bit process on 64-bit Windows, else C(PROCESSOR_ARCHITECTURE)) - C(x86) gives
        C(x86), C(ALPHA) gives C(alpha).
      - Any other value is used as given, with a warning when it is not the host's own platform (for
        example to prepare an Alpha installation point on an x86 file server).
    type: str
    choices: [auto, x86, alpha, amd64, ia64]
    default: auto
  sha256:
    description:
      - SHA-256 pins for fix files, as C(file name -> 64 hex digits). A key may be C(<platform>/<name>) to
        pin one platform's file only.
      - A pinned file must match its pin; its size may then differ from the KB table (a later build).
      - A pin naming a file the manifest does not list is an error.
    type: dict
  backup:
    description:
      - Back up each original before it is replaced, to C(<path>\.hotfix-backup\<KB>\<file>).
      - An existing backup is kept either way, never overwritten.
    type: bool
    default: true
extends_documentation_fragment:
  - winops.iis_hotfix.agent_module
attributes:
  check_mode:
    support: full
    details: Check mode sends only the read round trip and reports which files would be replaced.
  diff_mode:
    support: full
    details: One diff per replaced file - size and sha256 of the original before, of the fix file after.
notes:
  - The remote work is done by a fixed PowerShell script sent on stdin with every run, and the file
    content travels inside its requests (base64), because Ansible's own file transfer needs PowerShell 5.1
    and this module reaches hosts with Windows PowerShell 2.0. No value from the task is turned into
    PowerShell code. Requests and responses are described in C(docs/agent-protocol.md) in the collection.
  - The script runs as the connecting account, which must be allowed to write to the installation point.
    C(become) is ignored, and C(async) is not supported.
  - If a run is interrupted, the next run finishes the job - files already replaced are skipped and
    originals already backed up stay backed up.
seealso:
  - module: winops.iis_hotfix.iis_facts
author:
  - WinOps maintainers (@winops)
"""

EXAMPLES = r"""
- name: Overlay the KB Q197303 fix on the staged Option Pack files, picking x86 or Alpha per host
  winops.iis_hotfix.hotfix_overlay:
    path: C:\NTOPTPAK\x86
    fix_files: /srv/hotfixes/Q197303
  # /srv/hotfixes/Q197303/x86/{Ims.inf,Imsinsc.dll,Ins.inf} and /srv/hotfixes/Q197303/alpha/...
  register: overlay

- name: Show what was replaced and where the originals are
  ansible.builtin.debug:
    msg: "{{ overlay.replaced }} (originals: {{ overlay.backed_up }})"

- name: See which files would be replaced, without changing anything
  winops.iis_hotfix.hotfix_overlay:
    path: C:\NTOPTPAK\x86
    fix_files: /srv/hotfixes/Q197303
  check_mode: true
  diff: true

- name: Accept a later build of the setup helper, pinned by its sha256
  winops.iis_hotfix.hotfix_overlay:
    path: D:\Install\OptionPack\x86
    kb: Q254590
    fix_files: /srv/hotfixes/Q254590/x86
    platform: x86
    sha256:
      Imsinsc.dll: 3f0c2d1b6e4a5c7d8e9f00112233445566778899aabbccddeeff001122334455

- name: Apply a fix described by a manifest of your own
  winops.iis_hotfix.hotfix_overlay:
    path: C:\SP4
    manifest: manifests/Q196021.yml
    fix_files: hotfixes/Q196021
"""

RETURN = r"""
kb:
  description: The KB id of the manifest applied.
  returned: success
  type: str
  sample: Q197303
platform:
  description: The platform whose fix files were applied.
  returned: success
  type: str
  sample: x86
host_architecture:
  description: The host's native processor architecture as Windows spells it.
  returned: success
  type: str
  sample: x86
path:
  description: The installation point, as given.
  returned: success
  type: str
  sample: C:\NTOPTPAK\x86
manifest:
  description: Where the manifest came from - C(built-in <KB>) or the manifest file's path.
  returned: success
  type: str
  sample: built-in Q197303
applies_to:
  description: What the manifest says the fix is for (product, versions, IIS major version, services).
  returned: success
  type: dict
  sample: {"product": "Internet Information Server", "versions": ["4.0"], "iis_major": [4]}
replaced:
  description: The files replaced by fix files (in check mode - that would be replaced).
  returned: success
  type: list
  elements: str
  sample: ["C:\\NTOPTPAK\\x86\\Ims.inf", "C:\\NTOPTPAK\\x86\\Imsinsc.dll", "C:\\NTOPTPAK\\x86\\Ins.inf"]
backed_up:
  description: The backups made by this run (in check mode - that would be made).
  returned: success
  type: list
  elements: str
  sample: ["C:\\NTOPTPAK\\x86\\.hotfix-backup\\Q197303\\Ims.inf"]
already_current:
  description:
    - The files that already equal their fix files (already current, so left alone).
    - Not named C(skipped) - Ansible reads a C(skipped) key as "the task was skipped".
  returned: success
  type: list
  elements: str
  sample: []
files:
  description:
    - One entry per fix file - C(name), C(path) on the host, C(action) (C(replace) or C(skip)), C(backup)
      (the backup path, null without backup), C(accepted_by) (the rule that accepted the fix file -
      C(kb_size), C(sha256_pin) or C(manifest_sha256)), C(source) (the fix file on the controller),
      C(before) (the host file's C(exists), C(size), C(sha256), C(mtime)) and C(after) (the fix file's).
  returned: success
  type: list
  elements: dict
  sample:
    - name: Ims.inf
      path: C:\NTOPTPAK\x86\Ims.inf
      action: replace
      backup: C:\NTOPTPAK\x86\.hotfix-backup\Q197303\Ims.inf
      accepted_by: kb_size
      source: /srv/hotfixes/Q197303/x86/Ims.inf
      before: {"exists": true, "size": 33410, "sha256": "9a0b...", "mtime": "1997-11-20T12:00:00Z"}
      after: {"exists": true, "size": 33535, "sha256": "41d7..."}
not_replaced:
  description: When the writes failed part-way, the files left as they were.
  returned: failure
  type: list
  elements: str
msg:
  description: What was done, in one sentence.
  returned: always
  type: str
  sample: replaced 3 files in C:\NTOPTPAK\x86 (Q197303, x86), backed up 3 originals; 0 already in place
"""
