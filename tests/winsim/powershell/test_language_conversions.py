"""LanguagePrimitives: truth, [string] of everything, casts and accelerators (ABOUT Booleans,
ABOUT Type_Conversion, ABOUT Type_Accelerators, SPEC ch06; semantics reference §5, §10.6)."""

from __future__ import annotations

import pytest
from language_helpers import V2, V5, out

from winsim.powershell.clr import values
from winsim.powershell.engine import to_string


@pytest.mark.parametrize("expression, truth", [
    ("$null", "False"), ("''", "False"), ("'False'", "True"), ("'0'", "True"), ("0", "False"), ("0.0", "False"),
    ("@()", "False"), ("@(0)", "False"), ("@(0, 0)", "True"), ("(, @())", "False"), ("@{}", "True"),
    ("[char]'a'", "True"),
])
def test_truth(expression, truth):
    assert out(f"[bool]({expression})") == [truth]


def test_enum_values_are_always_true_before_5():
    script = "if ([System.IO.FileAttributes]0) { 't' } else { 'f' }"
    assert out(script, V2) == ["t"]
    assert out(script, V5) == ["f"]


@pytest.mark.parametrize("value, text", [
    (None, ""), (True, "True"), (1.5, "1.5"), (1e20, "1E+20"), (1 / 3, "0.333333333333333"), (2.0, "2"),
    (values.Int64(5), "5"), (values.ClrArray([1, "a", values.ClrArray([2])]), "1 a System.Object[]"),
    (values.Char("x"), "x"),
])
def test_to_string(value, text):
    assert to_string(value) == text


@pytest.mark.parametrize("cast, value, type_name", [
    ("[int]'0x10'", "16", "System.Int32"), ("[int]' 9 '", "9", "System.Int32"), ("[int]''", "0", "System.Int32"),
    ("[int]$null", "0", "System.Int32"), ("[string]$null", "", "System.String"), ("[long]'5'", "5", "System.Int64"),
    ("[double]'1.5'", "1.5", "System.Double"), ("[char]65", "A", "System.Char"), ("[byte]255", "255", "System.Byte"),
    ("[string[]]@(1, 2)", "1 2", "System.String[]"), ("[char[]]'ab'", "a b", "System.Char[]"),
    ("[array]5", "5", "System.Object[]"), ("[regex]'a|b'", "a|b", "System.Text.RegularExpressions.Regex"),
    ("[System.IO.FileAttributes]'hidden, readonly'", "ReadOnly, Hidden", "System.IO.FileAttributes"),
    ("[type]'int'", "System.Int32", "System.RuntimeType"),
])
def test_casts(cast, value, type_name):
    assert out(f"$v = {cast}; [string]$v; $v.GetType().FullName") == [value, type_name]


def test_failed_casts_name_the_value_and_type():
    assert out("try { [byte]300 } catch { $_.Exception.Message }") == [
        'Cannot convert value "300" to type "System.Byte". Error: "Value was either too large or too small for a '
        'Byte."']
    assert out("try { [int]'abc' } catch { $_.FullyQualifiedErrorId; $_.Exception.InnerException.GetType().Name }") \
        == ["InvalidCastFromStringToInteger", "PSInvalidCastException"]


def test_type_constrained_variables_convert_every_assignment():
    assert out("[int]$n = '4'; $n = '5'; $n + 1; $n.GetType().Name") == ["6", "Int32"]


def test_array_to_string_uses_ofs():
    assert out("$a = 1, 2, 3; \"$a\"; $OFS = '+'; \"$a\"; [string]$a") == ["1 2 3", "1+2+3", "1+2+3"]


def test_ordered_and_pscustomobject_per_version():
    assert out("$o = [ordered]@{ b = 1; a = 2 }; $o.Keys -join ','; $o.GetType().Name", V5) == \
        ["b,a", "OrderedDictionary"]
    assert out("$o = [pscustomobject]@{ a = 1 }; $o.GetType().Name", V2) == ["Hashtable"]
    assert out("$o = [pscustomobject]@{ a = 1; B = 2 }; $o.GetType().Name; \"$o\"; $o.b = 5; $o.B; $null -eq $o.Count",
               V5) == ["PSCustomObject", "@{a=1; B=2}", "5", "True"]
