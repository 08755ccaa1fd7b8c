"""A refused WinRM login names the causes that fit the connection's settings (issue 9, item 8)."""

from __future__ import annotations

import types

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.auth_hints import describe_refused_login

REFUSED = Exception("basic: the specified credentials were rejected by the server")


def connection(transport, scheme, encryption="auto"):
    return types.SimpleNamespace(_winrm_transport=transport, _winrm_scheme=scheme,
                                 _winrm_message_encryption=encryption)


def test_basic_over_http_names_basic_disabled_and_unencrypted_http_refused():
    message = describe_refused_login(connection(["basic"], "http"), REFUSED)
    assert message.startswith("the host refused the WinRM login (basic: the specified credentials were rejected")
    assert "(1) Basic authentication is disabled" in message
    assert "(2) the host refuses unencrypted HTTP (AllowUnencrypted=false" in message
    assert "(3) the user name or password is wrong" in message


def test_ntlm_without_encryption_over_http_names_the_encryption_setting():
    message = describe_refused_login(connection(["ntlm"], "http", "never"), REFUSED)
    assert "ansible_winrm_message_encryption=never" in message and "NTLM (Negotiate) is disabled" in message
    assert "Basic" not in message


def test_other_failures_are_left_alone():
    assert describe_refused_login(connection(["ntlm"], "https"), ConnectionResetError("reset by peer")) is None
