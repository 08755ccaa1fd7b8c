"""The PowerShell language: parsing (tree-sitter-powershell) and compilation of its syntax tree to Python
closures, run against a Frame (semantics/scopes.py)."""
