"""The meaning of PowerShell values: conversions (LanguagePrimitives), types and accelerators, operators,
the member binder and overload resolution, scopes."""
