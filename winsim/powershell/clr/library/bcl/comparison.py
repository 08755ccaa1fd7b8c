"""String and object comparison as .NET 2.0 does it: ordinal (UTF-16 code units), culture-sensitive (the
en-US / invariant sort order of Windows' NLS tables, approximated), and Comparer.Default over IComparable
values (what ArrayList.Sort and Array.Sort use).

The culture order modelled: first level ignores case and puts white space, then punctuation and symbols, then
digits, then letters (alphabetically); hyphen and apostrophe are ignored at that level (Windows' "word sort");
ties break on case (lower before upper). The null character and the soft hyphen weigh nothing at all: culture
comparisons and searches skip them ("a\0b" equals "ab"; "abc".IndexOf("\0") is 0), as .NET Framework's do."""

from __future__ import annotations

import decimal
import functools
import unicodedata

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import ArgumentException, InvalidOperationException

# Windows' default sort puts these symbols in this order, before digits and letters (approximation).
_SYMBOLS = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_SYMBOL_RANK = {ch: index for index, ch in enumerate(_SYMBOLS)}
_IGNORED = "-'"  # word sort: weightless at the first level
ZERO_WEIGHT = "\0\u00ad"  # weightless at every level


def _primary(ch: str) -> tuple[int, str]:
    if ch in _SYMBOL_RANK:
        return (0, chr(_SYMBOL_RANK[ch]))
    if ch.isdigit():
        return (1, ch)
    if ch.isalpha():
        base = unicodedata.normalize("NFD", ch)[0]
        return (2, base.lower())
    return (0, chr(len(_SYMBOLS) + ord(ch)))


@functools.lru_cache(maxsize=4096)
def _culture_key(text: str, ignore_case: bool) -> tuple:
    text = without_zero_weight(text)
    primary = tuple(_primary(ch) for ch in text if ch not in _IGNORED)
    accents = tuple(unicodedata.normalize("NFD", ch)[1:] for ch in text if ch not in _IGNORED)
    words = tuple(ord(ch) if ch in _IGNORED else 0 for ch in text)
    case = () if ignore_case else tuple(0 if ch.islower() or not ch.isalpha() else 1 for ch in text)
    return (primary, accents, case, words)


def culture_compare(a: str | None, b: str | None, ignore_case: bool = False) -> int:
    """String.Compare(a, b[, ignoreCase]) with the current (en-US) or invariant culture: -1, 0 or 1."""
    if a is None or b is None:
        return (a is not None) - (b is not None)
    key_a, key_b = _culture_key(str(a), ignore_case), _culture_key(str(b), ignore_case)
    if key_a == key_b:
        return 0
    return -1 if key_a < key_b else 1


def without_zero_weight(text: str) -> str:
    if "\0" not in text and "\u00ad" not in text:
        return text
    return text.translate({ord(ch): None for ch in ZERO_WEIGHT})


def culture_find(text: str, value: str, low: int, high: int, ignore_case: bool, last: bool = False) -> int:
    """CompareInfo.IndexOf/LastIndexOf within text[low:high]: weightless characters are skipped on both sides
    (a value made of them only is found at once)."""
    from winsim.powershell.clr.library.bcl.text_rules import lower
    needle = without_zero_weight(value)
    if not needle:
        return high - 1 if last and high > low else low
    kept = [i for i in range(low, high) if text[i] not in ZERO_WEIGHT]
    hay = "".join(text[i] for i in kept)
    if ignore_case:
        hay, needle = lower(hay), lower(needle)
    found = hay.rfind(needle) if last else hay.find(needle)
    return -1 if found < 0 else kept[found]


def ordinal_compare(a: str | None, b: str | None, ignore_case: bool = False) -> int:
    """String.CompareOrdinal: the difference of the first differing UTF-16 code units, else of the lengths
    (OrdinalIgnoreCase compares upper-cased code units)."""
    if a is None or b is None:
        return (a is not None) - (b is not None)
    if ignore_case:
        a, b = a.upper(), b.upper()
    ua, ub = a.encode("utf-16-le"), b.encode("utf-16-le")
    for index in range(0, min(len(ua), len(ub)), 2):
        ca, cb = ua[index] | ua[index + 1] << 8, ub[index] | ub[index + 1] << 8
        if ca != cb:
            return ca - cb
    return (len(ua) - len(ub)) // 2


def _numeric(value: object) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def compare_objects(a: object, b: object) -> int:
    """Comparer.Default.Compare: null sorts first; strings by culture; other IComparable values of the same
    type by value; different types fail as IComparable.CompareTo does."""
    if a is None or b is None:
        return (a is not None) - (b is not None)
    if isinstance(a, str) and not isinstance(a, values.Char):
        if not isinstance(b, str) or isinstance(b, values.Char):
            raise ArgumentException("Object must be of type String.")
        return culture_compare(a, b)
    name_a, name_b = values.clr_type_name(a), values.clr_type_name(b)
    if name_a != name_b and not (hasattr(a, "type_name") and getattr(a, "type_name", None) ==
                                 getattr(b, "type_name", None)):
        short = (name_a or type(a).__name__).rsplit(".", 1)[-1]
        raise ArgumentException(f"Object must be of type {short}.")
    if _numeric(a) or isinstance(a, (bool, str)) or hasattr(a, "type_name"):
        ka, kb = (a.value, b.value) if hasattr(a, "type_name") else (a, b)
        return (ka > kb) - (ka < kb)
    compare = getattr(a, "compare_to", None)
    if compare is None:
        raise ArgumentException("At least one object must implement IComparable.")
    return compare(None, b)


def sort_objects(items: list, comparer=None) -> list:
    """Array.Sort / ArrayList.Sort with the default comparer or an IComparer (Python protocol compare(a, b));
    a comparison failure is wrapped as .NET wraps it."""
    compare = compare_objects if comparer is None else comparer.compare
    try:
        return sorted(items, key=functools.cmp_to_key(compare))
    except ArgumentException as failure:
        raise InvalidOperationException("Failed to compare two elements in the array.", failure) from None
