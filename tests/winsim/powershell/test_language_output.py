"""The output stream: every unassigned value is output, collections unroll one level, and the ways to
suppress or keep them whole (SPEC ch07 §7.1, ch08 §8.1.2; ABOUT Return; semantics reference §1-2)."""

from __future__ import annotations

import pytest
from language_helpers import out, run, types


def test_every_unassigned_value_is_output_in_order():
    assert out("function f { 'a'; 1 + 1; return 3; 'never' }; $r = f; $r.Length; $r") == ["3", "a", "2", "3"]


def test_assignment_and_increment_statements_write_nothing_unless_parenthesized():
    assert out("$a = 5; $a++; ($b = 7); (++$a)") == ["7", "7"]


@pytest.mark.parametrize("statement", ["[void]$l.Add(1)", "$null = $l.Add(1)", "$l.Add(1) | Out-Null",
                                       "$l.Add(1) > $null"])
def test_discarding_a_method_result(statement):
    assert out(f"$l = New-Object System.Collections.ArrayList; {statement}; $l.Count") == ["1"]


def test_method_results_leak_and_void_methods_write_nothing():
    assert types("$l = New-Object System.Collections.ArrayList; $l.Add('x'); $l.Clear()") == ["System.Int32"]


def test_capture_rule_none_one_many():
    script = "function e { @() }; function o { @(5) }; function m { 1; 2 }; $e = e; $o = o; $m = m"
    assert out(script + "; $null -eq $e; $o.GetType().FullName; $m.GetType().FullName") == \
        ["True", "System.Int32", "System.Object[]"]


def test_collections_unroll_one_level_and_lose_their_type():
    script = "function f { $l = New-Object System.Collections.ArrayList; [void]$l.Add(1); [void]$l.Add(2); $l }"
    assert out(script + "; (f).GetType().FullName") == ["System.Object[]"]
    assert out("function g { @(1, 2), @(3, 4) }; $r = g; $r.Count; $r[0].Count") == ["2", "2"]


def test_unary_comma_and_return_comma_keep_a_collection_whole():
    assert out("function f { , @() }; $r = f; $r.GetType().FullName; $r.Count") == ["System.Object[]", "0"]
    assert out("function f { $l = New-Object System.Collections.ArrayList; return , $l }; (f).GetType().Name") \
        == ["ArrayList"]


def test_array_subexpression_never_nests_and_counts_nothing_apart_from_null():
    assert out("@().Count; @(5).Count; @(@(1, 2)).Count; @($i = 1).Count") == ["0", "1", "2", "0"]
    assert out("function n { }; function z { $null }; @(n).Count; @(z).Count") == ["0", "1"]


def test_subexpression_captures_statements():
    assert out("$x = $(1; 2); $x.Count; $y = $(); $null -eq $y") == ["2", "True"]


def test_strings_and_dictionaries_do_not_unroll():
    assert out("function f { 'abc' }; (f).Length; function h { @{a = 1; b = 2} }; (h).Count") == ["3", "2"]


def test_write_host_goes_to_the_host_not_the_output():
    result = run("Write-Host 'shown'; 'output'")
    assert [str(o) for o in result.output] == ["output"]
    assert result.host_output == ["shown\n"]


def test_nested_function_output_joins_the_callers():
    assert out("function i { 'x' }; function o { i; 'y' }; $r = o; $r -join ','") == ["x,y"]


def test_no_output_held_in_a_variable_is_a_plain_null_on_2():
    assert out("$r = 1..3 | Where-Object { $_ -gt 5 }; $r | ForEach-Object { 1 }; @($r).Count") == ["1", "1"]


def test_no_output_held_in_a_variable_is_nothing_on_5():
    assert out("$r = 1..3 | Where-Object { $_ -gt 5 }; $r | ForEach-Object { 1 }; @($r).Count; $null -eq $r; $r",
               (5, 1)) == ["0", "True"]


def test_output_written_before_break_exit_or_an_error_is_kept():
    assert out("1, 2, 3 | ForEach-Object { if ($_ -eq 2) { break }; $_ }; 'never'") == ["1"]
    assert run("function f { 'in f'; exit 4 }; 'a'; f; 'b'").output == ["a", "in f"]
    result = run("function f { 'partial'; throw 'x' }; f")
    assert result.output == ["partial"] and result.terminating.message == "x"
