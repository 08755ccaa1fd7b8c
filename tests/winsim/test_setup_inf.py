"""Reading INF and answer files, and what setup decides from them."""

from __future__ import annotations

import pytest

from winsim.setup.answer import AnswerError, parse_answer
from winsim.setup.errors import SetupError
from winsim.setup.inf import InfError, decode_inf, parse_inf
from winsim.setup.selection import FRESH, INSTALL, MAINTENANCE, REMOVE, UPGRADE, SubcomponentState, decide

SAMPLE = r"""
; comment line
[Version]
Signature = "$Windows NT$"   ; trailing comment

[Optional Components]
iis_smtp
iis_smtp_docs

[iis_smtp]
OptionDesc = %Desc%
CopyFiles = Files_A, \
            Files_B
Modes = 1, 3

[Registry]
HKR, Parameters, InstallPath, 0, "%11%\inetsrv"
HKLM, "Software\Key, with comma", "Value ""quoted"" here", 0x10001, 7
HKCR,"CLSID\{X}\InprocServer32",,0,"%32768%\seo.dll"

[strings]
Desc = "SMTP; with a semicolon"
Percent = "100%%"
"""


def test_inf_sections_keys_and_fields_are_read_as_setupapi_reads_them():
    inf = parse_inf(SAMPLE, "sample.inf")

    assert inf.require("VERSION").get("signature") == "$Windows NT$"
    assert [line.value for line in inf.require("Optional Components").entries()] == ["iis_smtp", "iis_smtp_docs"]
    section = inf.require("iis_smtp")
    assert section.get("OptionDesc") == "SMTP; with a semicolon"
    assert section.fields("CopyFiles") == ["Files_A", "Files_B"]
    assert section.fields("Modes") == ["1", "3"]
    lines = inf.require("Registry").entries()
    assert lines[0].fields == ("HKR", "Parameters", "InstallPath", "0", r"%11%\inetsrv")
    assert lines[1].fields == ("HKLM", r"Software\Key, with comma", 'Value "quoted" here', "0x10001", "7")
    assert lines[2].fields == ("HKCR", r"CLSID\{X}\InprocServer32", "", "0", r"%32768%\seo.dll")
    assert inf.section("missing") is None


def test_string_substitution_leaves_dirids_and_turns_double_percent_into_one():
    inf = parse_inf("[s]\nA = %Percent%, %%, %11%, %Unknown%\n[Strings]\nPercent = \"100%%\"\n", "x.inf")

    assert inf.require("s").lines[0].fields == ("100%%", "%", "%11%", "%Unknown%")


def test_inf_syntax_errors_name_the_file_and_line():
    with pytest.raises(InfError, match=r"bad\.inf line 2: unterminated quote"):
        parse_inf('[s]\nkey = "open\n', "bad.inf")
    with pytest.raises(InfError, match=r"bad\.inf line 1: text before the first section"):
        parse_inf("key = value\n", "bad.inf")
    with pytest.raises(InfError, match=r"missing"):
        parse_inf("[a]\n", "bad.inf").require("missing")


def test_inf_bytes_are_ansi_unless_they_carry_a_utf16_byte_order_mark():
    assert decode_inf("[s]\r\nk = caf\u00e9\r\n".encode("cp1252")) == "[s]\r\nk = caf\u00e9\r\n"
    assert decode_inf("\ufeff[s]\r\n".encode("utf-16-le")) == "[s]\r\n"


ANSWER = """[Version]
Signature = "$Windows NT$"

[Global]
FreshMode = custom
MaintanenceMode = AddRemove
UpgradeMode = AddExtraComps

[Components]
iis_smtp = ON
IIS_NNTP = off
DAC_RDS_CORE ON
mts_core=on

[InternetServer]
PathWWWRoot=D:\\Inetpub\\Wwwroot
PathFTPRoot=D:\\Inetpub\\Ftproot
"""


def test_answer_file_modes_components_and_paths():
    answer = parse_answer(ANSWER, "unattend.txt")

    assert (answer.fresh_mode, answer.maintenance_mode, answer.upgrade_mode) == ("Custom", "AddRemove",
                                                                                 "AddExtraComps")
    assert answer.selection("iis_smtp") is True
    assert answer.selection("iis_nntp") is False
    assert answer.selection("mts_core") is True
    assert answer.selection("dac_rds_core") is None  # the published samples' typo line is ignored
    assert answer.path("pathwwwroot") == "D:\\Inetpub\\Wwwroot"


def test_answer_file_with_a_mode_setup_does_not_know_is_refused():
    with pytest.raises(AnswerError, match=r"MaintanenceMode = 'Everything' is not one of AddRemove, RemoveAll"):
        parse_answer("[Global]\nMaintanenceMode = Everything\n", "u.txt")


def _state(name, installed=False, modes=(1, 3), needs=()):
    return SubcomponentState(name, frozenset(modes), tuple(needs), installed)


def test_maintenance_add_remove_installs_what_is_on_and_removes_what_is_off():
    answer = parse_answer("[Global]\nMaintanenceMode=AddRemove\n[Components]\niis_smtp=ON\niis_nntp=OFF\n", "u")
    states = [_state("iis_smtp"), _state("iis_nntp", installed=True), _state("iis_other", installed=True)]

    decisions, _ = decide(MAINTENANCE, answer, states, "u")

    assert decisions == {"iis_smtp": INSTALL, "iis_nntp": REMOVE}


def test_maintenance_without_maintanencemode_is_a_setup_error():
    answer = parse_answer("[Global]\nFreshMode=Typical\n[Components]\niis_smtp=ON\n", "u.txt")

    with pytest.raises(SetupError, match="MaintanenceMode") as raised:
        decide(MAINTENANCE, answer, [_state("iis_smtp")], "u.txt")
    assert raised.value.code == 87


def test_remove_all_removes_what_is_installed_and_needs_follow_their_component():
    answer = parse_answer("[Global]\nMaintanenceMode=RemoveAll\n", "u")
    states = [_state("iis_smtp", installed=True), _state("iis_smtp_docs", installed=True, needs=["iis_smtp"]),
              _state("iis_nntp")]

    assert decide(MAINTENANCE, answer, states, "u")[0] == {"iis_smtp": REMOVE, "iis_smtp_docs": REMOVE}


def test_fresh_typical_follows_modes_and_a_subcomponent_without_what_it_needs_is_skipped():
    answer = parse_answer("[Global]\nFreshMode=Typical\n", "u")
    states = [_state("iis_smtp", modes=(1, 3)), _state("iis_nntp", modes=(3,)),
              _state("iis_nntp_docs", modes=(1, 3), needs=["iis_nntp"])]

    decisions, notes = decide(FRESH, answer, states, "u")

    assert decisions == {"iis_smtp": INSTALL}
    assert notes == ["iis_nntp_docs: not installed because it needs iis_nntp"]


def test_upgrade_reinstalls_what_is_there_and_add_extra_comps_adds_what_is_on():
    only = parse_answer("[Components]\niis_nntp=ON\n", "u")
    extra = parse_answer("[Global]\nUpgradeMode=AddExtraComps\n[Components]\niis_nntp=ON\n", "u")
    states = [_state("iis_smtp", installed=True), _state("iis_nntp")]

    assert decide(UPGRADE, only, states, "u")[0] == {"iis_smtp": INSTALL}
    assert decide(UPGRADE, extra, states, "u")[0] == {"iis_smtp": INSTALL, "iis_nntp": INSTALL}
