"""System.Globalization: CultureInfo (the invariant culture and en-US, the current culture of winsim's hosts),
NumberFormatInfo, DateTimeFormatInfo, NumberStyles and DateTimeStyles."""

from __future__ import annotations

from dataclasses import dataclass, field

from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.exceptions import ArgumentException, ArgumentNullException
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

NumberStyles = clr_enum("System.Globalization.NumberStyles", {
    "None": 0, "AllowLeadingWhite": 1, "AllowTrailingWhite": 2, "AllowLeadingSign": 4, "AllowTrailingSign": 8,
    "AllowParentheses": 16, "AllowDecimalPoint": 32, "AllowThousands": 64, "AllowExponent": 128,
    "AllowCurrencySymbol": 256, "AllowHexSpecifier": 512, "Integer": 7, "HexNumber": 515, "Number": 111,
    "Float": 167, "Currency": 383, "Any": 511}, flags=True)
DateTimeStyles = clr_enum("System.Globalization.DateTimeStyles", {
    "None": 0, "AllowLeadingWhite": 1, "AllowTrailingWhite": 2, "AllowInnerWhite": 4, "AllowWhiteSpaces": 7,
    "NoCurrentDateDefault": 8, "AdjustToUniversal": 16, "AssumeLocal": 32, "AssumeUniversal": 64,
    "RoundtripKind": 128}, flags=True)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


@clr_type("System.Globalization.NumberFormatInfo", interfaces=("System.IFormatProvider", "System.ICloneable"))
@dataclass
class NumberFormatInfo:
    currency_symbol: str = "$"
    nan: str = "NaN"
    positive_infinity: str = "Infinity"
    negative_infinity: str = "-Infinity"
    decimal_separator: str = "."
    group_separator: str = ","
    negative_sign: str = "-"
    positive_sign: str = "+"
    percent_symbol: str = "%"

    @getter("NumberDecimalSeparator", "string")
    @getter("CurrencyDecimalSeparator", "string")
    @getter("PercentDecimalSeparator", "string")
    def get_decimal_separator(self, rt):
        return self.decimal_separator

    @getter("NumberGroupSeparator", "string")
    @getter("CurrencyGroupSeparator", "string")
    def get_group_separator(self, rt):
        return self.group_separator

    @getter("NegativeSign", "string")
    def get_negative_sign(self, rt):
        return self.negative_sign

    @getter("PositiveSign", "string")
    def get_positive_sign(self, rt):
        return self.positive_sign

    @getter("CurrencySymbol", "string")
    def get_currency_symbol(self, rt):
        return self.currency_symbol

    @getter("NaNSymbol", "string")
    def get_nan(self, rt):
        return self.nan

    @getter("PositiveInfinitySymbol", "string")
    def get_positive_infinity(self, rt):
        return self.positive_infinity

    @getter("NegativeInfinitySymbol", "string")
    def get_negative_infinity(self, rt):
        return self.negative_infinity

    @getter("NumberDecimalDigits", "int")
    def get_decimal_digits(self, rt):
        return 2


@clr_type("System.Globalization.DateTimeFormatInfo", interfaces=("System.IFormatProvider", "System.ICloneable"))
@dataclass
class DateTimeFormatInfo:
    short_date: str = "M/d/yyyy"
    long_date: str = "dddd, MMMM dd, yyyy"
    short_time: str = "h:mm tt"
    long_time: str = "h:mm:ss tt"
    month_names: tuple = MONTHS
    day_names: tuple = DAYS
    am: str = "AM"
    pm: str = "PM"
    date_separator: str = "/"
    time_separator: str = ":"

    @property
    def full(self) -> str:
        return f"{self.long_date} {self.long_time}"

    @getter("ShortDatePattern", "string")
    def get_short_date(self, rt):
        return self.short_date

    @getter("LongDatePattern", "string")
    def get_long_date(self, rt):
        return self.long_date

    @getter("ShortTimePattern", "string")
    def get_short_time(self, rt):
        return self.short_time

    @getter("LongTimePattern", "string")
    def get_long_time(self, rt):
        return self.long_time

    @getter("FullDateTimePattern", "string")
    def get_full(self, rt):
        return self.full

    @getter("AMDesignator", "string")
    def get_am(self, rt):
        return self.am

    @getter("PMDesignator", "string")
    def get_pm(self, rt):
        return self.pm

    @getter("MonthNames", "string[]")
    def get_month_names(self, rt):
        return values.ClrArray([*self.month_names, ""], "System.String")

    @getter("DayNames", "string[]")
    def get_day_names(self, rt):
        return values.ClrArray(list(self.day_names), "System.String")


@clr_type("System.Globalization.CultureInfo", interfaces=("System.IFormatProvider", "System.ICloneable"))
@dataclass
class CultureInfo:
    name: str
    lcid: int
    english_name: str
    numbers: NumberFormatInfo = field(default_factory=NumberFormatInfo)
    dates: DateTimeFormatInfo = field(default_factory=DateTimeFormatInfo)

    def __hash__(self) -> int:
        return hash(self.name)

    @constructor("string")
    @staticmethod
    def create(rt, name):
        return get_culture(name)

    @constructor("int")
    @staticmethod
    def create_lcid(rt, lcid):
        for culture in CULTURES.values():
            if culture.lcid == lcid:
                return culture
        raise ArgumentException(f"Culture ID {lcid} (0x{lcid:04X}) is not a supported culture.", "culture")

    @method("GetCultureInfo", "string", returns="System.Globalization.CultureInfo", static=True)
    def get_culture_info(rt, name):
        return get_culture(name)

    @getter("InvariantCulture", "System.Globalization.CultureInfo", static=True)
    def invariant(rt):
        return INVARIANT

    @getter("CurrentCulture", "System.Globalization.CultureInfo", static=True)
    @getter("CurrentUICulture", "System.Globalization.CultureInfo", static=True)
    @getter("InstalledUICulture", "System.Globalization.CultureInfo", static=True)
    def current(rt):
        return EN_US

    @getter("Name", "string")
    def get_name(self, rt):
        return self.name

    @getter("LCID", "int")
    def get_lcid(self, rt):
        return self.lcid

    @getter("EnglishName", "string")
    @getter("DisplayName", "string")
    def get_english_name(self, rt):
        return self.english_name

    @getter("TwoLetterISOLanguageName", "string")
    def get_language(self, rt):
        return self.name.split("-")[0] if self.name else "iv"

    @getter("IsNeutralCulture", "bool")
    def get_neutral(self, rt):
        return False

    @getter("NumberFormat", "System.Globalization.NumberFormatInfo")
    def get_number_format(self, rt):
        return self.numbers

    @getter("DateTimeFormat", "System.Globalization.DateTimeFormatInfo")
    def get_date_format(self, rt):
        return self.dates

    @method("GetFormat", "System.Type", returns="object")
    def get_format(self, rt, kind):
        name = getattr(getattr(kind, "clr", kind), "full_name", "")
        return self.dates if name.endswith("DateTimeFormatInfo") else self.numbers if \
            name.endswith("NumberFormatInfo") else None

    @method("ToString", returns="string")
    def to_string(self, rt):
        return self.name


INVARIANT = CultureInfo("", 127, "Invariant Language (Invariant Country)", NumberFormatInfo(currency_symbol="\u00a4"),
                        DateTimeFormatInfo(short_date="MM/dd/yyyy", long_date="dddd, dd MMMM yyyy",
                                           short_time="HH:mm", long_time="HH:mm:ss"))
EN_US = CultureInfo("en-US", 1033, "English (United States)")
CULTURES = {"": INVARIANT, "en-us": EN_US}


def get_culture(name: str | None) -> CultureInfo:
    if name is None:
        raise ArgumentNullException(None, "name")
    culture = CULTURES.get(name.lower())
    if culture is None:
        raise ArgumentException(f"Culture name '{name}' is not supported.", "name")
    return culture


def number_format(provider) -> NumberFormatInfo:
    """NumberFormatInfo.GetInstance(provider): the current culture's when none is given."""
    if isinstance(provider, NumberFormatInfo):
        return provider
    if isinstance(provider, CultureInfo):
        return provider.numbers
    return EN_US.numbers


def date_format(provider) -> DateTimeFormatInfo:
    if isinstance(provider, DateTimeFormatInfo):
        return provider
    if isinstance(provider, CultureInfo):
        return provider.dates
    return EN_US.dates
