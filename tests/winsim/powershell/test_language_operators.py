"""Operators: arithmetic with .NET widening, comparisons (left operand's type drives conversion, collections
filter), pattern and text operators, bitwise and shifts, ranges (ABOUT Arithmetic_Operators,
ABOUT Comparison_Operators, ABOUT Split/Join, SPEC ch07; semantics reference §4-6)."""

from __future__ import annotations

import pytest
from language_helpers import V2, V5, failure, out, run, types


@pytest.mark.parametrize("expression, value, type_name", [
    ("6 / 2", "3", "System.Int32"),
    ("7 / 2", "3.5", "System.Double"),
    ("[int]::MaxValue + 1", "2147483648", "System.Double"),
    ("[long]1 + 1", "2", "System.Int64"),
    ("1 + 1.5D", "2.5", "System.Decimal"),
    ("'10' - '2'", "8", "System.Int32"),
    ("'10' + 2", "102", "System.String"),
    ("2 + '10'", "12", "System.Int32"),
    ("'ab' * 2", "abab", "System.String"),
    ("-7 % 3", "-1", "System.Int32"),
    ("0xFFFFFFFF", "-1", "System.Int32"),
    ("1kb", "1024", "System.Int32"),
    ("[int]2.5", "2", "System.Int32"),
    ("[int]3.5", "4", "System.Int32"),
])
def test_arithmetic_values_and_types(expression, value, type_name):
    assert out(expression) == [value]
    assert types(expression) == [type_name]


def test_integer_division_by_zero_is_an_error():
    assert failure("$z = 0; $ErrorActionPreference = 'Stop'; 1 / $z") == "Attempted to divide by zero."


def test_array_addition_makes_a_new_array():
    assert out("$a = @(1); $b = $a; $a += 2, 3; $a -join ','; $b.Count; $a += , (4, 5); $a.Count") == \
        ["1,2,3", "1", "4"]


@pytest.mark.parametrize("expression, expected", [
    ("1 -eq '1.0'", ["True"]), ("'1.0' -eq 1", ["False"]), ("10 -eq '0xa'", ["True"]),
    ("'RED' -eq 'red'", ["True"]), ("'RED' -ceq 'red'", ["False"]), ("$null -eq $null", ["True"]),
    ("1, 2, 3 -eq 2", ["2"]), ("1, 2, 3 -gt 1", ["2", "3"]), ("@(1, $null, 2) -ne $null", ["1", "2"]),
    ("'abc' -contains 'a'", ["False"]), ("10, 20 -contains '10'", ["True"]), ("'010', 20 -contains 10", ["False"]),
    ("'PowerShell' -like '*shell'", ["True"]), ("'PowerShell' -like 'shell'", ["False"]),
    ("'a' -lt 'B'", ["True"]), ("2 -lt 10", ["True"]), ("'2' -lt '10'", ["False"]),
])
def test_comparisons(expression, expected):
    assert out(expression) == expected


def test_a_collection_on_the_left_filters_even_to_nothing():
    assert out("(1, 2 -eq 3).GetType().FullName; (1, 2 -eq 3).Count; if (@(0) -eq 0) { 'yes' } else { 'no' }") == \
        ["System.Object[]", "0", "no"]


def test_match_sets_matches_and_a_failed_match_keeps_them():
    assert out("'abc' -match 'b(?<x>c)'; $matches[0]; $matches['x']; 'zzz' -match 'q'; $matches.x") == \
        ["True", "bc", "c", "False", "c"]
    assert out("'a1', 'b', 'c2' -match '\\d'") == ["a1", "c2"]


def test_text_operators():
    assert out("('a.b' -split '.').Count; ('a.b' -split '\\.') -join '|'; 'a,b' -split ',', 0, 'SimpleMatch'") == \
        ["4", "a|b", "a", "b"]
    assert out("1, 2 -join ','; -join ('a', 'b'); 'Hello World' -replace '(\\w+) \\w+', '$1 X'") == \
        ["1,2", "ab", "Hello X"]
    assert out("'{0}-{1}' -f 'a', 'b'; '{0:N2}' -f 1234.5; '{{x}}' -f 1") == ["a-b", "1,234.50", "{x}"]


def test_type_operators():
    assert out("1 -is [int]; 1 -is 'int'; 'x' -isnot [string]; '5' -as [int]; $null -eq ('x' -as [int])") == \
        ["True", "True", "False", "5", "True"]
    assert out("@(1) -is [array]; @(1) -is [object[]]; @{} -is [System.Collections.IDictionary]") == \
        ["True", "True", "True"]


def test_bitwise_operators_and_logic():
    assert out("0x0F -band 0x3C; 1 -bor 6; 5 -bxor 1; -bnot 0; $true -and $false; $false -or 1") == \
        ["12", "7", "4", "-1", "False", "True"]


@pytest.mark.parametrize("script", ["1 -shl 2", "1, 2 -notin 3", "2 -in 1, 2"])
def test_operators_new_in_3_are_parse_errors_on_2(script):
    result = run(script, V2)
    assert result.terminating is not None and "Unexpected token" in result.terminating.message
    assert run(script, V5).terminating is None


def test_shift_on_5():
    assert out("1 -shl 2; -8 -shr 1; 2 -in 1, 2", V5) == ["4", "-4", "True"]


def test_ranges():
    assert out("(1..3) -join ','; (3..1) -join ','; (5..5).Count; (-2..$null) -join ','") == \
        ["1,2,3", "3,2,1", "1", "-2,-1,0"]


def test_dotnet_objects_compare_with_the_right_operand_converted():
    assert out("$d = [datetime]'2020-01-01'; $d -eq '2020-01-01'; $d -lt '2021-01-01'; $d.AddDays(1) -gt $d") == \
        ["True", "True", "True"]
    assert out("[version]'1.10' -gt '1.9'; '1.10' -gt '1.9'") == ["True", "False"]


def test_hashtable_addition():
    assert out("$h = @{ a = 1 } + @{ b = 2 }; $h.Count") == ["2"]
    assert out("try { @{ a = 1 } + 1 } catch { $_.FullyQualifiedErrorId }") == ["AddHashTableToNonHashTable"]


def test_a_real_literal_may_have_nothing_between_point_and_exponent():
    # about_Numeric_Literals (examples: 1.e2 is the Double 100); a member named e2 is still read as one.
    assert out("1.e2; (2.E-1).GetType().Name; '1.e2'; $h = @{ e2 = 5 }; $h.e2", V5) == ["100", "Double", "1.e2", "5"]
