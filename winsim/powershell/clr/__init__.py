"""The .NET side of winsim's PowerShell: how .NET values are represented in Python, the type system
(types, members, overloads, enums), .NET exceptions, and the class library that registers into it.

See values.py (representation), typesystem.py (declaring types and members), exceptions.py, runtime.py
(what a member implementation may reach on the host).
"""
