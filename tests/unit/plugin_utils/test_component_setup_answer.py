"""Option Pack answer files and how setup's failures are described."""

from __future__ import annotations

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.setup_answer import (
    answer_file_text,
    describe_failure,
    newest_log,
    setup_errors,
)


def test_a_removal_answer_file_turns_the_components_off_in_add_remove_mode():
    text = answer_file_text({"iis_smtp": False, "iis_nntp": False})
    assert text == (
        '[Version]\r\nSignature = "$Windows NT$"\r\n\r\n'
        "[Global]\r\nMaintanenceMode = AddRemove\r\n\r\n"
        "[Components]\r\niis_smtp = OFF\r\niis_nntp = OFF\r\n"
    )
    assert text.isascii()


def test_an_installation_answer_file_names_only_what_changes():
    text = answer_file_text({"iis_nntp": True})
    lines = text.split("\r\n")
    assert lines[lines.index("[Components]") + 1 :] == ["iis_nntp = ON", ""]
    assert "iis_smtp" not in text


def test_an_answer_file_names_at_least_one_component():
    with pytest.raises(ValueError):
        answer_file_text({})


def test_setup_errors_are_read_from_the_errors_key():
    read = {
        "path": "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Setup\\OC Manager\\MasterInfs\\Errors",
        "exists": True,
        "values": {
            "Ims.inf": {"type": "REG_SZ", "value": "iis_smtp: error 193: not a valid Win32 application"},
            "unattend.txt": {"type": "REG_MULTI_SZ", "value": ["setup:", "error 87"]},
        },
    }
    assert setup_errors(read) == [
        "Ims.inf: iis_smtp: error 193: not a valid Win32 application",
        "unattend.txt: setup: error 87",
    ]
    assert setup_errors({"path": read["path"], "exists": False}) == []
    assert setup_errors(None) == []


def test_a_failure_message_has_the_exit_code_the_errors_and_the_log():
    log = newest_log(
        [
            {
                "path": "C:\\WINNT\\ocmgr.log",
                "exists": True,
                "type": "file",
                "size": 10,
                "mtime": "1999-01-01T00:00:00Z",
            },
            {
                "path": "C:\\WINNT\\iis4setup.log",
                "exists": True,
                "type": "file",
                "size": 99,
                "mtime": "2026-01-01T00:00:00Z",
            },
            None,
        ]
    )
    assert log == "C:\\WINNT\\iis4setup.log (99 bytes, written 2026-01-01T00:00:00Z)"
    message = describe_failure(193, ["Ims.inf: iis_smtp: error 193: not a valid Win32 application."], log)
    assert message == (
        "setup failed with exit code 193. errors recorded by setup: Ims.inf: iis_smtp: error 193: not a valid "
        "Win32 application. setup's log: C:\\WINNT\\iis4setup.log (99 bytes, written 2026-01-01T00:00:00Z)"
    )
    assert "recorded no error under HKLM" in describe_failure(5, [], None)
    assert newest_log([{"path": "C:\\x", "exists": False}]) is None
