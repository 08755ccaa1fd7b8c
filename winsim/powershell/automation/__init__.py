"""System.Management.Automation: the PowerShell engine's own .NET types (errors, script blocks, references)
and the flow-control signals the interpreter raises between statements."""
