"""Errors: try/catch/finally, trap, throw, $ErrorActionPreference, and the messages PowerShell 2.0 words
(ABOUT Try_Catch_Finally, ABOUT Trap, ABOUT Throw, SPEC ch08 §8.7-8.8; semantics reference §8)."""

from __future__ import annotations

import pytest
from language_helpers import V2, V5, failure, out, run


def test_throw_a_string_gives_a_runtime_exception_with_that_message():
    assert out("try { throw 'boom' } catch { $_.Exception.GetType().FullName; \"$_\"; $_.FullyQualifiedErrorId }") \
        == ["System.Management.Automation.RuntimeException", "boom", "boom"]


def test_throw_an_exception_object_keeps_its_type_and_data():
    script = "$e = New-Object System.Exception 'typed'; $e.Data['k'] = 'v'; " \
             "try { throw $e } catch [System.Exception] { $_.Exception.Message; $_.Exception.Data['k'] }"
    assert out(script) == ["typed", "v"]


def test_dotnet_exceptions_are_wrapped_with_the_original_inside():
    script = "try { [int]::Parse('x') } catch { $_.Exception.GetType().Name; $_.Exception.Message; " \
             "$_.Exception.InnerException.GetType().FullName }"
    message = 'Exception calling "Parse" with "1" argument(s): "Input string was not in a correct format."'
    assert out(script) == ["MethodInvocationException", message, "System.FormatException"]


def test_typed_catch_matches_the_inner_exception_and_the_order_of_clauses():
    script = "try { [int]::Parse('x') } catch [System.ArgumentException] { 'arg' } catch [System.FormatException] " \
             "{ 'format' } catch { 'any' }"
    assert out(script) == ["format"]


def test_property_setter_errors_are_set_value_invocation_exceptions():
    script = "$sb = New-Object System.Text.StringBuilder; try { $sb.Length = -1 } catch { " \
             "$_.Exception.GetType().Name; $_.Exception.Message -like 'Exception setting \"Length\": *' }"
    assert out(script) == ["SetValueInvocationException", "True"]


def test_finally_runs_on_error_and_on_break():
    assert out("try { try { throw 'x' } finally { 'f1' } } catch { 'c' }; "
               "foreach ($i in 1, 2) { try { break } finally { \"f$i\" } }") == ["f1", "c", "f1"]


def test_errors_from_any_depth_reach_catch():
    assert out("function deep { [int]::Parse('x'); 'no' }; try { & { deep } } catch { 'caught' }") == ["caught"]


def test_statement_terminating_error_without_handlers_continues_with_the_next_statement():
    result = run("'a'; [int]::Parse('x'); 'b'")
    assert [str(o) for o in result.output] == ["a", "b"]
    assert [e.message for e in result.errors] == [
        'Exception calling "Parse" with "1" argument(s): "Input string was not in a correct format."']
    assert result.terminating is None


def test_throw_ends_the_script():
    result = run("'a'; throw 'stop here'; 'b'")
    assert [str(o) for o in result.output] == ["a"]
    assert result.terminating.message == "stop here"
    assert result.exit_code == 1


def test_stop_preference_makes_errors_terminating():
    assert failure("$ErrorActionPreference = 'Stop'; [int]::Parse('x'); 'never'") == \
        'Exception calling "Parse" with "1" argument(s): "Input string was not in a correct format."'


@pytest.mark.parametrize("version, message", [
    (V2, 'Command execution stopped because the preference variable "ErrorActionPreference" or common parameter '
         "is set to Stop: nope"),
    (V5, "nope"),
])
def test_write_error_under_stop(version, message):
    assert out("$ErrorActionPreference = 'Stop'; try { Write-Error 'nope'; 'x' } catch { $_.Exception.Message }",
               version) == [message]


def test_non_terminating_errors_are_not_caught():
    result = run("try { Write-Error 'soft'; 'after' } catch { 'caught' }")
    assert [str(o) for o in result.output] == ["after"]
    assert [e.message for e in result.errors] == ["soft"]


def test_trap_continue_and_break():
    assert out("trap { 'trapped'; continue }; 'a'; throw 'x'; 'b'") == ["a", "trapped", "b"]
    result = run("function f { trap [System.DivideByZeroException] { 'dz'; break }; $z = 0; 1 / $z; 'no' }; f")
    assert [str(o) for o in result.output] == ["dz"]
    assert result.terminating.message == "Attempted to divide by zero."


def test_rethrow_in_catch():
    assert failure("try { throw 'inner' } catch { throw }") == "inner"


@pytest.mark.parametrize("script, message", [
    ("Get-Nothing-Here", "The term 'Get-Nothing-Here' is not recognized as the name of a cmdlet, function, script "
                         "file, or operable program. Check the spelling of the name, or if a path was included, "
                         "verify that the path is correct and try again."),
    ("[No.Such.Type]::Foo()", "Unable to find type [No.Such.Type]: make sure that the assembly containing this type "
                              "is loaded."),
    ("'abc'.NoSuchMethod()", "Method invocation failed because [System.String] doesn't contain a method named "
                             "'NoSuchMethod'."),
    ("'abc'.Substring(1, 2, 3, 4)", 'Cannot find an overload for "Substring" and the argument count: "4".'),
    ("$null.ToString()", "You cannot call a method on a null-valued expression."),
    ("$n = $null; $n[0]", "Cannot index into a null array."),
    ("[int]'abc'", 'Cannot convert value "abc" to type "System.Int32". Error: "Input string was not in a correct '
                   'format."'),
    ("New-Object No.Such.Type", "Cannot find type [No.Such.Type]: make sure the assembly containing this type is "
                                "loaded."),
])
def test_strict_error_messages(script, message):
    result = run(script)
    assert [e.message for e in result.errors] == [message]


def test_error_variable_keeps_the_newest_first():
    assert out("try { throw 'one' } catch { }; try { throw 'two' } catch { }; $Error.Count; \"$($Error[0])\"") == \
        ["2", "two"]


def test_dollar_question_and_exit_code_follow_the_last_statement():
    assert run("'x'; Write-Error 'e'").exit_code == 1
    assert run("Write-Error 'e'; 'x'").exit_code == 0
    assert out("Write-Error 'e' -ErrorAction SilentlyContinue; $?; 'ok' | Out-Null; $?") == ["False", "True"]
