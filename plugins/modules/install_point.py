# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: install_point
short_description: Stage an installation point on a Windows host, copying only what differs
version_added: 1.0.0
description:
  - Makes the directory O(dest) on the host hold the files of a source tree, for example the
    Windows NT 4.0 Option Pack files that setup later installs SMTP and NNTP from.
  - The source is a directory on the controller (O(src)) or a directory or UNC share that the host
    reads itself (O(remote_src)).
  - Compares first, in one read-only round trip, in which the host lists O(dest) (and
    O(remote_src)) with sizes and SHA-256 hashes. Only files that are missing or different are
    transferred, never the whole tree again; files already in place are left untouched.
  - Files from the controller travel inside the module's own requests, in chunks, in batches of
    at most a few MB per request (Ansible's own file transfer needs PowerShell 5.1, which these
    hosts do not have). Files from O(remote_src) are copied on the host.
  - Every copied file is verified on the host after copying, by its SHA-256 in the same request.
  - Reports the files and bytes copied. In check mode it reports what it would copy and sends
    nothing that writes. With O(delete_extra), entries in O(dest) that the source does not have
    are deleted.
  - The contents of O(src) go into O(dest); O(dest) and its parents are created when missing.
    The last write time of each copied file is kept.
  - A host-wide lock (a file under C(%SystemRoot%\\Temp\\win-primitive-agent)) keeps two runs
    from staging into the same O(dest) at once; the second fails with the holder's name.
options:
  src:
    description:
      - Directory on the controller whose contents are staged. A relative path is looked up like
        M(ansible.builtin.copy) looks up C(src) (the role's or playbook's C(files) directory).
      - Every name in it must be a valid Windows name; names that differ only in case are refused.
        Special files (FIFOs, sockets, devices) are refused by name, and a source without files is
        refused; both before the host is contacted or written to.
      - Exactly one of O(src) and O(remote_src) is required.
    type: str
  remote_src:
    description:
      - Directory on the host, or a UNC path the host can read (C(\\\\server\\share\\op4)), whose
        contents are staged. Read by the connecting account on the host; a WinRM logon with NTLM or
        Kerberos without delegation cannot use its credentials for a second hop to a file share,
        so the share must be readable to that logon (or use CredSSP / delegation).
      - Must not overlap O(dest).
    type: str
  dest:
    description:
      - Directory on the host to stage into, an absolute drive or UNC path (C(C:\\OptionPack)).
        A drive or share root is refused, and so is a drive or share the host cannot reach (read
        before the first write, so nothing, not even the lock, is written then).
    type: str
    required: true
  delete_extra:
    description:
      - Delete the files and directories in O(dest) that the source does not have, and entries
        that stand where the source needs something else (a directory where a file goes).
      - When false, such entries are kept, and an entry in the way of the source is an error.
    type: bool
    default: false
  checksum:
    description:
      - How a file already in O(dest) is judged the same as the source's.
      - V(sha256) compares size and SHA-256 (the host hashes O(dest) on every run).
      - V(size_mtime) compares size and last write time (to the second), which is faster on large
        trees. Copies are verified by SHA-256 either way.
    type: str
    choices: [sha256, size_mtime]
    default: sha256
extends_documentation_fragment:
  - winops.iis_hotfix.agent_module
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details: The diff lists the files of O(dest) before and after, with size and hash.
notes:
  - Works through the task's own connection (C(winrm), C(psrp) or C(ssh) with the PowerShell shell)
    and needs Windows PowerShell 2.0 or later on the host. The remote work is done by the
    collection's fixed agent script; no value from the task is ever turned into PowerShell code.
  - A second run with the same source reports C(changed=false) after one read-only round trip.
  - A run that was interrupted (a dropped connection) leaves complete files in place and partial
    ones that differ from the source; the next run copies what is still missing or different.
  - For long transfers the module prints progress between batches.
  - C(become) is ignored and C(async) is not supported.
seealso:
  - module: winops.iis_hotfix.iis_facts
author:
  - WinOps maintainers (@winops)
"""

EXAMPLES = r"""
- name: Stage the Option Pack installation files from the controller
  winops.iis_hotfix.install_point:
    src: files/optionpack/x86
    dest: C:\OptionPack

- name: Stage them from a share the hosts can read, removing stale files
  winops.iis_hotfix.install_point:
    remote_src: \\fileserver\media\optionpack\x86
    dest: D:\Install\OptionPack
    delete_extra: true

- name: See what would be copied, without copying
  winops.iis_hotfix.install_point:
    src: files/optionpack/x86
    dest: C:\OptionPack
  check_mode: true
  diff: true
  register: staging

- name: Show it
  ansible.builtin.debug:
    msg: "{{ staging.files_copied | length }} files, {{ staging.bytes_copied }} bytes to copy"
"""

RETURN = r"""
dest:
  description: The staged directory as the module used it (separators tidied).
  returned: always
  type: str
  sample: C:\OptionPack
checksum:
  description: How existing files were compared.
  returned: always
  type: str
  sample: sha256
files_copied:
  description: Files copied into O(dest) (in check mode, those that would be), relative to it.
  returned: always
  type: list
  elements: str
  sample: ["Ims.inf", "Imsinsc.dll", "ins.inf"]
bytes_copied:
  description: Bytes of the files copied (in check mode, that would be).
  returned: always
  type: int
  sample: 586259
files_deleted:
  description: Files deleted from O(dest) (only with O(delete_extra)), relative to it.
  returned: always
  type: list
  elements: str
  sample: []
directories_created:
  description: Directories created (in check mode, that would be).
  returned: always
  type: list
  elements: str
  sample: ["C:\\OptionPack\\i386"]
files_unchanged:
  description: How many source files were already in place.
  returned: always
  type: int
  sample: 1412
"""
