# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turns a refused WinRM login into a message naming its likely causes.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

The WinRM service answers HTTP 401 alike for a wrong password, for an authentication scheme it has
disabled (Basic is off by default) and for Basic over plain HTTP when it refuses unencrypted traffic
(AllowUnencrypted is false by default); pywinrm then says only "the specified credentials were rejected".
The causes that fit the connection's own settings (transport, scheme, message encryption) are named.
"""

from __future__ import annotations

import typing as t

_REFUSED = ("credentials were rejected", "401", "unauthorized")


def _setting(connection: t.Any, attribute: str, option: str) -> t.Any:
    value = getattr(connection, attribute, None)
    if value is None:
        try:
            value = connection.get_option(option)
        except Exception:
            return None
    return value


def describe_refused_login(connection: t.Any, error: BaseException) -> str | None:
    """The message for a refused login, or None when ``error`` is not one."""
    text = str(error)
    if not any(marker in text.lower() for marker in _REFUSED):
        return None
    transports = _setting(connection, "_winrm_transport", "transport") or []
    transports = [transports] if isinstance(transports, str) else [str(name).lower() for name in transports]
    scheme = str(_setting(connection, "_winrm_scheme", "scheme") or "").lower()
    encryption = str(_setting(connection, "_winrm_message_encryption", "message_encryption") or "auto").lower()
    causes = []
    if "basic" in transports or "plaintext" in transports:
        causes.append('Basic authentication is disabled in the host\'s WinRM service (the Windows default; '
                      'winrm set winrm/config/service/auth @{Basic="true"}, or use ntlm or kerberos)')
        if scheme == "http":
            causes.append("the host refuses unencrypted HTTP (AllowUnencrypted=false, the Windows default) and "
                          "Basic cannot encrypt the message: use HTTPS (port 5986) or ntlm/kerberos")
    elif scheme == "http" and encryption == "never":
        causes.append("ansible_winrm_message_encryption=never sends the message unencrypted over HTTP, which the "
                      "host refuses (AllowUnencrypted=false, the Windows default)")
    if transports and not {"basic", "plaintext"} & set(transports) and "ntlm" in transports:
        causes.append("NTLM (Negotiate) is disabled in the host's WinRM service")
    causes.append("the user name or password is wrong, or the account may not log on remotely (it must be an "
                  "administrator of the host)")
    listed = "; ".join(f"({index}) {cause}" for index, cause in enumerate(causes, 1))
    return f"the host refused the WinRM login ({text.strip()}). Likely causes: {listed}"
