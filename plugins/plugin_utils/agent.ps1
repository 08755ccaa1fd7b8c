# protocol: win-primitive-agent/1
# win-primitive-agent: runs a batch of primitive Windows operations described as data.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Input:  one JSON request, read from the pipeline (stdin when started by the bootstrap).
# Output: one line of JSON. The request and response shapes are in docs/agent-protocol.md.
# Floor:  Windows PowerShell 2.0 on .NET 2.0; no cmdlet or API newer than that is used.
# Safety: request values are only ever handed to .NET APIs as data; nothing from the request
#         becomes code. This script knows nothing about any product: it only reads Windows.

# Deterministic regardless of the caller's session: no strict mode, every error terminates.
Set-StrictMode -Off
$ErrorActionPreference = 'Stop'

$AgentState = @{
    Name = 'win-primitive-agent'
    Protocol = 'win-primitive-agent/1'
    Results = $null
    WmiServices = $null
    WmiError = $null
    Clock = [System.Diagnostics.Stopwatch]::StartNew()
}
# Case-sensitive tables: operation names and ids are exact strings.
$AgentState.Results = New-Object -TypeName System.Collections.Hashtable

$AgentOperations = New-Object -TypeName System.Collections.Hashtable

$AgentIdPattern = [regex]'^[A-Za-z0-9_.:-]{1,128}\z'
$JsonNumberPattern = [regex]'\G-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?'
$JsonPlainPattern = [regex]'^[\x20-\x7E]*\z'
$Invariant = [System.Globalization.CultureInfo]::InvariantCulture

# ---------------------------------------------------------------------------------------------
# Collections and errors
# ---------------------------------------------------------------------------------------------

function New-AgentMap {
    # Ordered so responses read in a stable order; PowerShell 2.0 has no [ordered].
    return , (New-Object -TypeName System.Collections.Specialized.OrderedDictionary)
}

function New-AgentList {
    return , (New-Object -TypeName System.Collections.ArrayList)
}

function New-AgentStringList {
    param($Items)
    $list = New-AgentList
    if ($null -ne $Items) {
        foreach ($item in $Items) {
            [void]$list.Add([string]$item)
        }
    }
    return , $list
}

function New-AgentException {
    # An exception that carries the protocol error kind and Win32 code to the operation's catch.
    param(
        [string]$Kind,
        $Code,
        [string]$Message
    )
    $exception = New-Object -TypeName System.Exception -ArgumentList $Message
    $exception.Data['agent_kind'] = $Kind
    $exception.Data['agent_code'] = $Code
    return $exception
}

function Test-WrapperException {
    # PowerShell wraps .NET exceptions thrown by method calls; the inner one names the cause.
    param([System.Exception]$Exception)
    # The agent's own exceptions (New-AgentException) never have an inner exception: they end the walk here.
    if ($null -eq $Exception.InnerException) {
        return $false
    }
    return ($Exception -is [System.Management.Automation.RuntimeException] -or
        $Exception -is [System.Reflection.TargetInvocationException])
}

function Get-Win32ErrorCode {
    param([System.Exception]$Exception)
    if ($Exception -is [System.ComponentModel.Win32Exception]) {
        return $Exception.NativeErrorCode
    }
    if ($Exception.InnerException -is [System.ComponentModel.Win32Exception]) {
        return $Exception.InnerException.NativeErrorCode
    }
    if ($Exception -is [System.UnauthorizedAccessException] -or $Exception -is [System.Security.SecurityException]) {
        return 5
    }
    if ($Exception -is [System.IO.FileNotFoundException]) {
        return 2
    }
    if ($Exception -is [System.IO.DirectoryNotFoundException]) {
        return 3
    }
    if ($Exception -is [System.IO.PathTooLongException]) {
        return 206
    }
    if ($Exception -is [System.ArgumentException] -or $Exception -is [System.NotSupportedException]) {
        return 87
    }
    $hresult = [System.Runtime.InteropServices.Marshal]::GetHRForException($Exception)
    # 0x8007xxxx: an HRESULT that wraps Win32 error xxxx.
    if ($hresult -lt 0 -and ($hresult -band 0x7FFF0000) -eq 0x00070000) {
        return ($hresult -band 0xFFFF)
    }
    return $null
}

function Get-ErrorKind {
    param($Code)
    if ($null -eq $Code) {
        return 'internal'
    }
    if (@(2, 3, 1060, 1168) -contains $Code) {
        return 'not_found'
    }
    if ($Code -eq 5) {
        return 'access_denied'
    }
    if (@(32, 33) -contains $Code) {
        return 'in_use'
    }
    if (@(39, 112) -contains $Code) {
        return 'disk_full'
    }
    if (@(80, 183) -contains $Code) {
        return 'already_exists'
    }
    if ($Code -eq 145) {
        return 'not_empty'
    }
    if ($Code -eq 1460) {
        return 'timeout'
    }
    if (@(87, 123, 161, 206, 267) -contains $Code) {
        return 'invalid_argument'
    }
    return 'os_error'
}

function ConvertTo-AgentError {
    param(
        $ErrorRecord,
        $Operation
    )
    $exception = $ErrorRecord.Exception
    while (Test-WrapperException -Exception $exception) {
        $exception = $exception.InnerException
    }
    $failure = New-AgentMap
    $failure['op'] = $Operation
    if ($exception.Data.Contains('agent_kind')) {
        $failure['kind'] = [string]$exception.Data['agent_kind']
        $failure['code'] = $exception.Data['agent_code']
    }
    else {
        $code = Get-Win32ErrorCode -Exception $exception
        $failure['kind'] = Get-ErrorKind -Code $code
        $failure['code'] = $code
    }
    $failure['message'] = $exception.Message
    $failure['exception'] = $exception.GetType().FullName
    return , $failure
}

# ---------------------------------------------------------------------------------------------
# Arguments and value expressions ($ref, $expand, $join, $dirname): evaluated as data, so one
# batch can use what an earlier operation of the same batch read.
# ---------------------------------------------------------------------------------------------

function Get-AgentArgument {
    param(
        [System.Collections.IDictionary]$Arguments,
        [string]$Name,
        [string]$Type,
        [switch]$Required,
        $Default = $null
    )
    if (-not $Arguments.Contains($Name) -or $null -eq $Arguments[$Name]) {
        if ($Required) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument '$Name' is required")
        }
        return , $Default
    }
    $value = $Arguments[$Name]
    $valid = $false
    if ($Type -eq 'string') {
        $valid = $value -is [string]
    }
    elseif ($Type -eq 'bool') {
        $valid = $value -is [bool]
    }
    elseif ($Type -eq 'int') {
        $valid = $value -is [long] -or $value -is [int]
        if ($valid) {
            $value = [long]$value
        }
    }
    elseif ($Type -eq 'string[]' -or $Type -eq 'int[]') {
        $valid = $value -is [System.Collections.IList]
        if ($valid) {
            foreach ($item in $value) {
                if ($Type -eq 'string[]' -and $item -isnot [string]) {
                    $valid = $false
                }
                if ($Type -eq 'int[]' -and $item -isnot [long] -and $item -isnot [int]) {
                    $valid = $false
                }
            }
        }
    }
    if (-not $valid) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument '$Name' must be of type $Type")
    }
    return , $value
}

function Get-AgentPathArgument {
    # Absolute drive or UNC paths only: a relative path would depend on the agent's working directory.
    param(
        [System.Collections.IDictionary]$Arguments,
        [string]$Name,
        [switch]$Optional
    )
    $path = Get-AgentArgument -Arguments $Arguments -Name $Name -Type 'string' -Required:(-not $Optional)
    if ($null -eq $path) {
        return $null
    }
    $isDrivePath = $path -match '^[A-Za-z]:[\\/]'
    $isUncPath = $path -match '^\\\\[^\\/?.][^\\/]*[\\/][^\\/]+'
    if (-not ($isDrivePath -or $isUncPath)) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 161 -Message "argument '$Name' must be an absolute drive or UNC path")
    }
    # A path .NET refuses (illegal characters, a second ':', 260 characters or more) is an invalid argument
    # (87, 206) for every operation, not a file that is missing: File.Exists and Directory.Exists answer
    # $false for such paths instead of throwing.
    [void][System.IO.Path]::GetFullPath($path)
    return $path
}

function Get-AgentIntegerArgument {
    param(
        [System.Collections.IDictionary]$Arguments,
        [string]$Name,
        [long]$Default,
        [long]$Minimum,
        [long]$Maximum,
        [switch]$Required
    )
    $value = Get-AgentArgument -Arguments $Arguments -Name $Name -Type 'int' -Default $Default -Required:$Required
    if ($value -lt $Minimum -or $value -gt $Maximum) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument '$Name' must be between $Minimum and $Maximum")
    }
    return [long]$value
}

function Get-AgentTimeArgument {
    # Protocol times (2024-01-31T23:59:00Z) as UTC DateTime values; $null when the argument is absent.
    param(
        [System.Collections.IDictionary]$Arguments,
        [string]$Name
    )
    $text = Get-AgentArgument -Arguments $Arguments -Name $Name -Type 'string'
    if ($null -eq $text) {
        return $null
    }
    $styles = [System.Globalization.DateTimeStyles]'AssumeUniversal, AdjustToUniversal'
    $parsed = [datetime]::MinValue
    if (-not [datetime]::TryParseExact($text, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", $Invariant, $styles, [ref]$parsed)) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument '$Name' must look like 2024-01-31T23:59:00Z")
    }
    return $parsed
}

function New-UnresolvedException {
    param([string]$Message)
    return (New-AgentException -Kind 'unresolved_reference' -Code $null -Message $Message)
}

function Resolve-AgentReference {
    param([System.Collections.IDictionary]$Expression)
    $target = $Expression['$ref']
    $pointer = $Expression['pointer']
    if ($target -isnot [string]) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message '$ref must name an operation id')
    }
    if ($null -eq $pointer) {
        $pointer = ''
    }
    if ($pointer -isnot [string] -or ($pointer.Length -gt 0 -and -not $pointer.StartsWith('/'))) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'pointer must be a JSON pointer such as /values/Name/value')
    }
    if (-not $AgentState.Results.ContainsKey($target)) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "no earlier operation has id '$target'")
    }
    $entry = $AgentState.Results[$target]
    if (-not $entry['ok']) {
        throw (New-UnresolvedException -Message "operation '$target' failed")
    }
    $current = $entry['value']
    if ($pointer.Length -gt 0) {
        foreach ($token in $pointer.Substring(1).Split('/')) {
            $name = $token.Replace('~1', '/').Replace('~0', '~')
            $index = 0
            if ($current -is [System.Collections.IDictionary] -and $current.Contains($name)) {
                $current = $current[$name]
            }
            elseif ($current -is [System.Collections.IList] -and [int]::TryParse($name, [ref]$index) -and
                $index -ge 0 -and $index -lt $current.Count) {
                $current = $current[$index]
            }
            else {
                throw (New-UnresolvedException -Message "'$pointer' does not exist in the result of '$target'")
            }
        }
    }
    if ($null -eq $current) {
        throw (New-UnresolvedException -Message "'$pointer' of '$target' is null")
    }
    return , $current
}

function Resolve-AgentString {
    param(
        $Value,
        [int]$Depth,
        [string]$Context
    )
    $resolved = Resolve-AgentValue -Value $Value -Depth $Depth
    if ($resolved -isnot [string]) {
        throw (New-UnresolvedException -Message "$Context needs a string value")
    }
    return $resolved
}

function Resolve-AgentValue {
    param(
        $Value,
        [int]$Depth = 0
    )
    if ($Value -isnot [System.Collections.IDictionary]) {
        return , $Value
    }
    # $Depth counts the expressions around this one: the 16th nested level has $Depth 15 (protocol 2.1).
    if ($Depth -ge 16) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'expressions are nested more than 16 levels deep')
    }
    if ($Value.Contains('$ref')) {
        return , (Resolve-AgentReference -Expression $Value)
    }
    if ($Value.Contains('$expand')) {
        $text = Resolve-AgentString -Value $Value['$expand'] -Depth ($Depth + 1) -Context '$expand'
        return [System.Environment]::ExpandEnvironmentVariables($text)
    }
    if ($Value.Contains('$join')) {
        $parts = $Value['$join']
        if ($parts -isnot [System.Collections.IList]) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message '$join needs a list')
        }
        $joined = ''
        foreach ($part in $parts) {
            $text = Resolve-AgentString -Value $part -Depth ($Depth + 1) -Context '$join'
            if ($joined.Length -eq 0) {
                $joined = $text.TrimEnd([char[]]'\/')
            }
            else {
                $segment = $text.Trim([char[]]'\/')
                if ($segment.Length -gt 0) {
                    $joined = $joined + '\' + $segment
                }
            }
        }
        return $joined
    }
    if ($Value.Contains('$dirname')) {
        $text = (Resolve-AgentString -Value $Value['$dirname'] -Depth ($Depth + 1) -Context '$dirname').TrimEnd([char[]]'\/')
        $cut = $text.LastIndexOfAny([char[]]'\/')
        if ($cut -lt 0) {
            throw (New-UnresolvedException -Message "'$text' has no parent directory")
        }
        if ($cut -eq 2 -and $text[1] -eq [char]':') {
            return $text.Substring(0, 3)
        }
        return $text.Substring(0, $cut)
    }
    return , $Value
}

function Resolve-AgentArgumentSet {
    param([System.Collections.IDictionary]$Arguments)
    $resolved = @{}
    foreach ($entry in $Arguments.GetEnumerator()) {
        $resolved[$entry.Key] = Resolve-AgentValue -Value $entry.Value
    }
    return , $resolved
}
