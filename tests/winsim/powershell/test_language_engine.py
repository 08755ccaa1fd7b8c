"""The Engine's API: results, $input from stdin, exit codes, coverage, parse caching, NotModelled, and the
automatic variables the session answers."""

from __future__ import annotations

import pytest
from language_helpers import V2, V5, out, run

from winsim.powershell.engine import Engine, NotModelled, coverage_registry, format_output, make_runtime
from winsim.powershell.language.parser import parse


def test_run_result_fields():
    result = run("'a'; Write-Error 'e'; exit 3")
    assert [str(o) for o in result.output] == ["a"]
    assert [e.message for e in result.errors] == ["e"]
    assert result.terminating is None
    assert result.exit_code == 3


def test_input_enumerates_stdin_lines_once():
    result = run("foreach ($l in $input) { $l.ToUpper() }; @($input).Count", input_lines=["ab", "cd"])
    assert [str(o) for o in result.output] == ["AB", "CD", "0"]


def test_script_input_piped_into_a_script_block():
    result = run("$lines = @($input); $lines | & { foreach ($x in $input) { \"<$x>\" } }", input_lines=["1", "2"])
    assert [str(o) for o in result.output] == ["<1>", "<2>"]


def test_coverage_records_statement_lines_per_source():
    source = "'one'\nif ($false) {\n  'never'\n}\n'three'\n"
    Engine(make_runtime()).run(source)
    assert coverage_registry()[source] == {1, 2, 5}


def test_parse_is_cached_by_source_text():
    source = "'cached once'"
    assert parse(source) is parse(source)


def test_native_programs_are_not_modelled_without_a_hook():
    with pytest.raises(NotModelled, match="running the program"):
        run("& 'C:\\tools\\x.exe' /q")


def test_syntax_the_parser_cannot_read_names_the_line():
    with pytest.raises(NotModelled, match="line 3"):
        run("'fine'\n$a = 1\n$a.Foreach.Invoke()\n")  # valid PowerShell the grammar does not read


@pytest.mark.parametrize("version, exit_code", [(V2, 0), (V5, 1)])
def test_an_operator_missing_its_operand_is_a_parse_error_that_runs_nothing(version, exit_code):
    # PowerShell's parser refuses the whole text (ParseException, nothing runs); powershell.exe -Command exits
    # 0 on such a text before 5.0 and 1 from 5.0 on.
    for script, operator in (("'fine'\n$x = (1 +\n", "+"), ("'fine'\n'a' -and", "-and"), ("$y =\n", "=")):
        result = run(script, version)
        assert result.output == []
        assert result.terminating.exception.__clr_type__.full_name == "System.Management.Automation.ParseException"
        wording = "on the right-hand side of" if version == V2 else "following"
        assert result.terminating.message == f"You must provide a value expression {wording} the '{operator}' operator."
        assert result.exit_code == exit_code


@pytest.mark.parametrize("version, expected", [(V2, ["2.0", "True"]), (V5, ["5.1", "True"])])
def test_psversiontable_follows_the_runtime(version, expected):
    assert out("$PSVersionTable.PSVersion.ToString(); $PSVersionTable.CLRVersion -ne $null", version) == expected


def test_format_output_writes_one_line_per_object():
    assert format_output(["a", 1, 2.5, True]) == "a\r\n1\r\n2.5\r\nTrue\r\n"


def test_unknown_commands_in_strict_order_functions_cmdlets_programs():
    assert out("function Write-Output { 'mine' }; Write-Output 'x'") == ["mine"]


def test_echo_takes_the_remaining_arguments():
    assert out("echo hello world") == ["hello", "world"]


def test_windows_powershell_commands_the_interpreter_lacks_are_not_modelled():
    with pytest.raises(NotModelled, match="Get-Service"):
        run("Get-Service")


@pytest.mark.parametrize("version, expected", [(V2, "ParameterBindingException"), (V5, "A|B")])
def test_foreach_object_member_name(version, expected):
    script = "try { ('a', 'b' | ForEach-Object ToUpper) -join '|' } catch { $_.Exception.GetType().Name }"
    assert out(script, version) == [expected]


def test_a_variable_followed_by_a_colon_in_a_string_is_a_parse_error():
    result = run("'never printed'; \"$word: where\"")
    assert result.output == []
    assert "':' was not followed by a valid variable name character" in result.terminating.message


def test_comments_inside_a_statement_are_white_space():
    # lang-spec §2.2.3: a delimited comment may stand wherever white space may; a line comment ends its line.
    assert out("'x' <# between #> + 'y'\n1 + # after the operator\n  2\nWrite-Output a#b <# c #> 'z'") == \
        ["xy", "3", "a#b", "z"]


def test_script_block_create_refuses_text_powershell_cannot_parse():
    script = "try { [ScriptBlock]::Create(\"1 -f\") } catch { $_.Exception.Message }"
    assert out(script) == ["You must provide a value expression on the right-hand side of the '-f' operator."]
    assert out(script, V5) == ["You must provide a value expression following the '-f' operator."]
