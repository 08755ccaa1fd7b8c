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
$AgentOperations['system.info'] = 'Invoke-SystemInfo'
$AgentOperations['registry.read'] = 'Invoke-RegistryRead'
$AgentOperations['service.query'] = 'Invoke-ServiceQuery'
$AgentOperations['event.query'] = 'Invoke-EventQuery'
$AgentOperations['file.stat'] = 'Invoke-FileStat'
$AgentOperations['file.tree'] = 'Invoke-FileTree'

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
    if ($null -eq $Exception.InnerException) {
        return $false
    }
    if ($Exception.Data.Contains('agent_kind')) {
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
# JSON reader (ConvertFrom-Json does not exist in PowerShell 2.0)
# Objects become case-insensitive hashtables, arrays ArrayLists, integers Int64, other numbers Double.
# ---------------------------------------------------------------------------------------------

function New-JsonSyntaxException {
    param(
        [hashtable]$State,
        [string]$Message
    )
    return (New-AgentException -Kind 'invalid_request' -Code 13 -Message ('JSON ' + $Message + ' at offset ' + $State.Pos))
}

function Skip-JsonWhitespace {
    param([hashtable]$State)
    $text = $State.Text
    $pos = $State.Pos
    while ($pos -lt $text.Length -and [char]::IsWhiteSpace($text[$pos])) {
        $pos++
    }
    $State.Pos = $pos
}

function Read-JsonChar {
    # Returns the next significant character and moves past it.
    param([hashtable]$State)
    Skip-JsonWhitespace -State $State
    if ($State.Pos -ge $State.Text.Length) {
        throw (New-JsonSyntaxException -State $State -Message 'ends unexpectedly')
    }
    $c = $State.Text[$State.Pos]
    $State.Pos = $State.Pos + 1
    return $c
}

function Test-JsonLiteral {
    param(
        [hashtable]$State,
        [string]$Literal
    )
    $text = $State.Text
    if ($State.Pos + $Literal.Length -gt $text.Length) {
        return $false
    }
    if ([string]::CompareOrdinal($text, $State.Pos, $Literal, 0, $Literal.Length) -ne 0) {
        return $false
    }
    $State.Pos = $State.Pos + $Literal.Length
    return $true
}

function Get-JsonEscapedChar {
    param([string]$Escape)
    switch -CaseSensitive ($Escape) {
        '"' { return [char]34 }
        '\' { return [char]92 }
        '/' { return [char]47 }
        'b' { return [char]8 }
        'f' { return [char]12 }
        'n' { return [char]10 }
        'r' { return [char]13 }
        't' { return [char]9 }
    }
    return $null
}

function Read-JsonString {
    param([hashtable]$State)
    $text = $State.Text
    $pos = $State.Pos + 1
    $builder = New-Object -TypeName System.Text.StringBuilder
    $specials = [char[]]@([char]34, [char]92)
    while ($true) {
        $next = $text.IndexOfAny($specials, $pos)
        if ($next -lt 0) {
            throw (New-JsonSyntaxException -State $State -Message 'string is not terminated')
        }
        [void]$builder.Append($text, $pos, $next - $pos)
        if ($text[$next] -eq [char]34) {
            $State.Pos = $next + 1
            return $builder.ToString()
        }
        if ($next + 1 -ge $text.Length) {
            throw (New-JsonSyntaxException -State $State -Message 'string ends inside an escape')
        }
        $escape = [string]$text[$next + 1]
        $pos = $next + 2
        if ($escape -ceq 'u') {
            if ($pos + 4 -gt $text.Length) {
                throw (New-JsonSyntaxException -State $State -Message 'string has a short \u escape')
            }
            [void]$builder.Append([char][System.Convert]::ToInt32($text.Substring($pos, 4), 16))
            $pos = $pos + 4
        }
        else {
            $decoded = Get-JsonEscapedChar -Escape $escape
            if ($null -eq $decoded) {
                throw (New-JsonSyntaxException -State $State -Message 'string has an invalid escape')
            }
            [void]$builder.Append($decoded)
        }
    }
}

function Read-JsonNumber {
    param([hashtable]$State)
    $match = $JsonNumberPattern.Match($State.Text, $State.Pos)
    if (-not $match.Success -or $match.Length -eq 0) {
        throw (New-JsonSyntaxException -State $State -Message 'has an unexpected character')
    }
    $literal = $match.Value
    $State.Pos = $State.Pos + $literal.Length
    if ($literal.IndexOfAny([char[]]'.eE') -lt 0) {
        $integer = [long]0
        if ([long]::TryParse($literal, [System.Globalization.NumberStyles]::AllowLeadingSign, $Invariant, [ref]$integer)) {
            return $integer
        }
    }
    return [double]::Parse($literal, [System.Globalization.NumberStyles]::Float, $Invariant)
}

function Read-JsonArray {
    param([hashtable]$State)
    $list = New-AgentList
    $State.Pos = $State.Pos + 1
    Skip-JsonWhitespace -State $State
    if ($State.Pos -lt $State.Text.Length -and $State.Text[$State.Pos] -eq [char]']') {
        $State.Pos = $State.Pos + 1
        return , $list
    }
    while ($true) {
        $item = Read-JsonValue -State $State
        [void]$list.Add($item)
        $c = Read-JsonChar -State $State
        if ($c -eq [char]']') {
            return , $list
        }
        if ($c -ne [char]',') {
            throw (New-JsonSyntaxException -State $State -Message 'array expects , or ]')
        }
    }
}

function Read-JsonObject {
    param([hashtable]$State)
    $object = @{}
    $State.Pos = $State.Pos + 1
    Skip-JsonWhitespace -State $State
    if ($State.Pos -lt $State.Text.Length -and $State.Text[$State.Pos] -eq [char]'}') {
        $State.Pos = $State.Pos + 1
        return , $object
    }
    while ($true) {
        Skip-JsonWhitespace -State $State
        if ($State.Pos -ge $State.Text.Length -or $State.Text[$State.Pos] -ne [char]34) {
            throw (New-JsonSyntaxException -State $State -Message 'object expects a string key')
        }
        $key = Read-JsonString -State $State
        if ((Read-JsonChar -State $State) -ne [char]':') {
            throw (New-JsonSyntaxException -State $State -Message 'object expects :')
        }
        $object[$key] = Read-JsonValue -State $State
        $c = Read-JsonChar -State $State
        if ($c -eq [char]'}') {
            return , $object
        }
        if ($c -ne [char]',') {
            throw (New-JsonSyntaxException -State $State -Message 'object expects , or }')
        }
    }
}

function Read-JsonValue {
    param([hashtable]$State)
    Skip-JsonWhitespace -State $State
    if ($State.Pos -ge $State.Text.Length) {
        throw (New-JsonSyntaxException -State $State -Message 'ends unexpectedly')
    }
    $c = $State.Text[$State.Pos]
    if ($c -eq [char]'{') {
        return , (Read-JsonObject -State $State)
    }
    if ($c -eq [char]'[') {
        return , (Read-JsonArray -State $State)
    }
    if ($c -eq [char]34) {
        return (Read-JsonString -State $State)
    }
    if (Test-JsonLiteral -State $State -Literal 'true') {
        return $true
    }
    if (Test-JsonLiteral -State $State -Literal 'false') {
        return $false
    }
    if (Test-JsonLiteral -State $State -Literal 'null') {
        return $null
    }
    return (Read-JsonNumber -State $State)
}

function ConvertFrom-AgentJson {
    param([string]$Text)
    $state = @{ Text = $Text; Pos = 0 }
    $value = Read-JsonValue -State $state
    Skip-JsonWhitespace -State $state
    if ($state.Pos -lt $Text.Length) {
        throw (New-JsonSyntaxException -State $state -Message 'has text after the value')
    }
    return , $value
}

# ---------------------------------------------------------------------------------------------
# JSON writer: one line, every character outside printable ASCII escaped as \uXXXX, so the
# response survives any console code page on the way back.
# ---------------------------------------------------------------------------------------------

function Format-AgentTime {
    param([datetime]$Time)
    return $Time.ToUniversalTime().ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", $Invariant)
}

function Add-JsonString {
    param(
        [System.Text.StringBuilder]$Builder,
        [string]$Text
    )
    [void]$Builder.Append([char]34)
    # Fast path for the common case (Windows paths: printable ASCII with backslashes).
    $escaped = $Text.Replace('\', '\\').Replace('"', '\"')
    if ($JsonPlainPattern.IsMatch($escaped)) {
        [void]$Builder.Append($escaped)
    }
    else {
        foreach ($ch in $Text.ToCharArray()) {
            $code = [int]$ch
            if ($code -eq 34) {
                [void]$Builder.Append('\"')
            }
            elseif ($code -eq 92) {
                [void]$Builder.Append('\\')
            }
            elseif ($code -lt 32 -or $code -gt 126) {
                [void]$Builder.Append(('\u{0:x4}' -f $code))
            }
            else {
                [void]$Builder.Append($ch)
            }
        }
    }
    [void]$Builder.Append([char]34)
}

function Test-JsonInteger {
    param($Value)
    return ($Value -is [int] -or $Value -is [long] -or $Value -is [uint32] -or $Value -is [uint64] -or
        $Value -is [int16] -or $Value -is [uint16] -or $Value -is [byte] -or $Value -is [sbyte])
}

function Add-JsonValue {
    param(
        [System.Text.StringBuilder]$Builder,
        $Value
    )
    if ($null -eq $Value) {
        [void]$Builder.Append('null')
    }
    elseif ($Value -is [string] -or $Value -is [char]) {
        Add-JsonString -Builder $Builder -Text ([string]$Value)
    }
    elseif ($Value -is [bool]) {
        if ($Value) {
            [void]$Builder.Append('true')
        }
        else {
            [void]$Builder.Append('false')
        }
    }
    elseif ($Value -is [datetime]) {
        Add-JsonString -Builder $Builder -Text (Format-AgentTime -Time $Value)
    }
    elseif ($Value -is [System.Enum]) {
        Add-JsonString -Builder $Builder -Text $Value.ToString()
    }
    elseif (Test-JsonInteger -Value $Value) {
        [void]$Builder.Append($Value.ToString($Invariant))
    }
    elseif ($Value -is [double] -or $Value -is [single] -or $Value -is [decimal]) {
        $number = [double]$Value
        if ([double]::IsNaN($number) -or [double]::IsInfinity($number)) {
            [void]$Builder.Append('null')
        }
        else {
            [void]$Builder.Append($number.ToString('R', $Invariant))
        }
    }
    elseif ($Value -is [System.Collections.IDictionary]) {
        [void]$Builder.Append('{')
        $first = $true
        # GetEnumerator, not .Keys: a dictionary holding a key named "Keys" would shadow the property.
        foreach ($entry in $Value.GetEnumerator()) {
            if (-not $first) {
                [void]$Builder.Append(',')
            }
            $first = $false
            Add-JsonString -Builder $Builder -Text ([string]$entry.Key)
            [void]$Builder.Append(':')
            Add-JsonValue -Builder $Builder -Value $entry.Value
        }
        [void]$Builder.Append('}')
    }
    elseif ($Value -is [System.Collections.IEnumerable]) {
        [void]$Builder.Append('[')
        $first = $true
        foreach ($item in $Value) {
            if (-not $first) {
                [void]$Builder.Append(',')
            }
            $first = $false
            Add-JsonValue -Builder $Builder -Value $item
        }
        [void]$Builder.Append(']')
    }
    else {
        Add-JsonString -Builder $Builder -Text ([string]$Value)
    }
}

function ConvertTo-AgentJson {
    param($Value)
    $builder = New-Object -TypeName System.Text.StringBuilder
    Add-JsonValue -Builder $builder -Value $Value
    return $builder.ToString()
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
        [string]$Name
    )
    $path = Get-AgentArgument -Arguments $Arguments -Name $Name -Type 'string' -Required
    $isDrivePath = $path -match '^[A-Za-z]:[\\/]'
    $isUncPath = $path -match '^\\\\[^\\/?.][^\\/]*[\\/][^\\/]+'
    if (-not ($isDrivePath -or $isUncPath)) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 161 -Message "argument '$Name' must be an absolute drive or UNC path")
    }
    return $path
}

function Get-AgentIntegerArgument {
    param(
        [System.Collections.IDictionary]$Arguments,
        [string]$Name,
        [long]$Default,
        [long]$Minimum,
        [long]$Maximum
    )
    $value = Get-AgentArgument -Arguments $Arguments -Name $Name -Type 'int' -Default $Default
    if ($value -lt $Minimum -or $value -gt $Maximum) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument '$Name' must be between $Minimum and $Maximum")
    }
    return [long]$value
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
    if ($Depth -gt 16) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'expressions are nested too deeply')
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

# ---------------------------------------------------------------------------------------------
# system.info
# ---------------------------------------------------------------------------------------------

function Get-PowerShellVersion {
    if ($null -eq $PSVersionTable) {
        return '1.0'
    }
    return $PSVersionTable.PSVersion.ToString()
}

function Test-AgentElevation {
    try {
        $identity = [System.Security.Principal.WindowsIdentity]::GetCurrent()
        $principal = New-Object -TypeName System.Security.Principal.WindowsPrincipal -ArgumentList $identity
        return $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
    }
    catch {
        return $null
    }
}

function Invoke-SystemInfo {
    param([System.Collections.IDictionary]$Arguments)
    $names = Get-AgentArgument -Arguments $Arguments -Name 'env' -Type 'string[]' -Default (New-AgentList)

    $os = [System.Environment]::OSVersion
    $osInfo = New-AgentMap
    $osInfo['platform'] = $os.Platform.ToString()
    $osInfo['version'] = $os.Version.ToString()
    $osInfo['major'] = $os.Version.Major
    $osInfo['minor'] = $os.Version.Minor
    $osInfo['build'] = $os.Version.Build
    $osInfo['service_pack'] = $os.ServicePack

    # A 32-bit process on 64-bit Windows sees x86 here and the native value in PROCESSOR_ARCHITEW6432.
    $architecture = New-AgentMap
    $architecture['process'] = [System.Environment]::GetEnvironmentVariable('PROCESSOR_ARCHITECTURE')
    $architecture['wow64'] = [System.Environment]::GetEnvironmentVariable('PROCESSOR_ARCHITEW6432')
    if ($null -ne $architecture['wow64']) {
        $architecture['native'] = $architecture['wow64']
    }
    else {
        $architecture['native'] = $architecture['process']
    }
    $architecture['pointer_bits'] = [System.IntPtr]::Size * 8

    $powershell = New-AgentMap
    $powershell['version'] = Get-PowerShellVersion
    $powershell['clr_version'] = [System.Environment]::Version.ToString()

    $environment = New-AgentMap
    foreach ($name in $names) {
        $environment[$name] = [System.Environment]::GetEnvironmentVariable($name)
    }

    $result = New-AgentMap
    $result['computer_name'] = [System.Environment]::MachineName
    $result['user'] = [System.Environment]::UserDomainName + '\' + [System.Environment]::UserName
    $result['elevated'] = Test-AgentElevation
    $result['os'] = $osInfo
    $result['architecture'] = $architecture
    $result['powershell'] = $powershell
    $result['system_directory'] = [System.Environment]::SystemDirectory
    $result['time_utc'] = Format-AgentTime -Time ([System.DateTime]::UtcNow)
    $result['env'] = $environment
    return , $result
}

# ---------------------------------------------------------------------------------------------
# registry.read
# ---------------------------------------------------------------------------------------------

function Get-RegistryHive {
    param([string]$Name)
    switch ($Name.ToUpperInvariant()) {
        'HKLM' { return [Microsoft.Win32.Registry]::LocalMachine }
        'HKEY_LOCAL_MACHINE' { return [Microsoft.Win32.Registry]::LocalMachine }
        'HKCU' { return [Microsoft.Win32.Registry]::CurrentUser }
        'HKEY_CURRENT_USER' { return [Microsoft.Win32.Registry]::CurrentUser }
        'HKU' { return [Microsoft.Win32.Registry]::Users }
        'HKEY_USERS' { return [Microsoft.Win32.Registry]::Users }
        'HKCR' { return [Microsoft.Win32.Registry]::ClassesRoot }
        'HKEY_CLASSES_ROOT' { return [Microsoft.Win32.Registry]::ClassesRoot }
        'HKCC' { return [Microsoft.Win32.Registry]::CurrentConfig }
        'HKEY_CURRENT_CONFIG' { return [Microsoft.Win32.Registry]::CurrentConfig }
    }
    throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "unknown registry hive '$Name'")
}

function Open-RegistryKey {
    # Returns the opened key, or $null when it does not exist. Hive roots are refused so that
    # closing the returned key never closes a shared hive object.
    param([string]$Path)
    $separator = $Path.IndexOf('\')
    $subPath = ''
    if ($separator -gt 0) {
        $subPath = $Path.Substring($separator + 1).Trim([char[]]'\')
    }
    if ($subPath.Length -eq 0) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'registry path must name a key below a hive, e.g. HKLM\SOFTWARE')
    }
    $hive = Get-RegistryHive -Name $Path.Substring(0, $separator)
    return $hive.OpenSubKey($subPath, $false)
}

function ConvertTo-HexString {
    param([byte[]]$Bytes)
    if ($null -eq $Bytes) {
        return ''
    }
    return [System.BitConverter]::ToString($Bytes).Replace('-', '').ToLowerInvariant()
}

function Get-RegistryValueEntry {
    param(
        [Microsoft.Win32.RegistryKey]$Key,
        [string]$Name
    )
    if (-not (@($Key.GetValueNames()) -contains $Name)) {
        return $null
    }
    $raw = $Key.GetValue($Name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
    $entry = New-AgentMap
    switch ($Key.GetValueKind($Name).ToString()) {
        'String' {
            $entry['type'] = 'REG_SZ'
            $entry['value'] = [string]$raw
        }
        'ExpandString' {
            $entry['type'] = 'REG_EXPAND_SZ'
            $entry['value'] = [string]$raw
            $entry['expanded'] = [System.Environment]::ExpandEnvironmentVariables([string]$raw)
        }
        'MultiString' {
            $entry['type'] = 'REG_MULTI_SZ'
            $entry['value'] = New-AgentStringList -Items $raw
        }
        'DWord' {
            # .NET hands DWORDs back signed; the registry stores them unsigned.
            $entry['type'] = 'REG_DWORD'
            $entry['value'] = [System.BitConverter]::ToUInt32([System.BitConverter]::GetBytes([int]$raw), 0)
        }
        'QWord' {
            $entry['type'] = 'REG_QWORD'
            $entry['value'] = [System.BitConverter]::ToUInt64([System.BitConverter]::GetBytes([long]$raw), 0)
        }
        'Binary' {
            $entry['type'] = 'REG_BINARY'
            $entry['value'] = ConvertTo-HexString -Bytes $raw
        }
        default {
            $entry['type'] = 'REG_UNKNOWN'
            if ($raw -is [byte[]]) {
                $entry['value'] = ConvertTo-HexString -Bytes $raw
            }
            else {
                $entry['value'] = [string]$raw
            }
        }
    }
    return , $entry
}

function Invoke-RegistryRead {
    param([System.Collections.IDictionary]$Arguments)
    $path = Get-AgentArgument -Arguments $Arguments -Name 'path' -Type 'string' -Required
    $names = Get-AgentArgument -Arguments $Arguments -Name 'values' -Type 'string[]'
    $withSubkeys = Get-AgentArgument -Arguments $Arguments -Name 'subkeys' -Type 'bool' -Default $false

    $result = New-AgentMap
    $result['path'] = $path
    $key = Open-RegistryKey -Path $path
    if ($null -eq $key) {
        $result['exists'] = $false
        return , $result
    }
    try {
        $result['exists'] = $true
        if ($null -eq $names) {
            $names = $key.GetValueNames()
        }
        $values = New-AgentMap
        foreach ($name in $names) {
            $values[$name] = Get-RegistryValueEntry -Key $key -Name $name
        }
        $result['values'] = $values
        if ($withSubkeys) {
            $result['subkeys'] = New-AgentStringList -Items $key.GetSubKeyNames()
        }
    }
    finally {
        $key.Close()
    }
    return , $result
}

# ---------------------------------------------------------------------------------------------
# service.query
# ---------------------------------------------------------------------------------------------

function Get-CommandLineExecutable {
    # The executable of a service command line: quoted, or unquoted up to the first .exe/.sys.
    param([string]$CommandLine)
    $text = [System.Environment]::ExpandEnvironmentVariables($CommandLine).Trim()
    if ($text.Length -eq 0) {
        return $null
    }
    if ($text.StartsWith('"')) {
        $end = $text.IndexOf('"', 1)
        if ($end -gt 0) {
            $executable = $text.Substring(1, $end - 1)
        }
        else {
            $executable = $text.Substring(1)
        }
    }
    else {
        $match = [regex]::Match($text, '^(.+?\.(?:exe|sys|com))(?:\s|$)', 'IgnoreCase')
        if ($match.Success) {
            $executable = $match.Groups[1].Value
        }
        else {
            $executable = $text.Split([char[]]' ')[0]
        }
    }
    if ($executable.StartsWith('\??\')) {
        $executable = $executable.Substring(4)
    }
    $systemRoot = [System.Environment]::GetEnvironmentVariable('SystemRoot')
    if ($executable -match '^\\SystemRoot\\') {
        $executable = $systemRoot + $executable.Substring(11)
    }
    elseif (-not ($executable -match '^[A-Za-z]:\\' -or $executable.StartsWith('\\'))) {
        # Driver paths such as system32\drivers\x.sys are relative to the Windows directory.
        $executable = $systemRoot + '\' + $executable.TrimStart([char[]]'\')
    }
    return $executable
}

function Get-WmiServiceTable {
    # Exit codes and process ids come only from WMI in .NET 2.0. One fixed query per batch,
    # matched by name in memory, so no request value ever enters a WQL string.
    if ($null -ne $AgentState.WmiServices) {
        return , $AgentState.WmiServices
    }
    $table = @{}
    try {
        Add-Type -AssemblyName System.Management
        $query = 'SELECT Name, ExitCode, ServiceSpecificExitCode, ProcessId FROM Win32_Service'
        $searcher = New-Object -TypeName System.Management.ManagementObjectSearcher -ArgumentList $query
        foreach ($item in $searcher.Get()) {
            $table[[string]$item.GetPropertyValue('Name')] = $item
        }
    }
    catch {
        $AgentState.WmiError = $_.Exception.Message
    }
    $AgentState.WmiServices = $table
    return , $table
}

function Find-ServiceController {
    param([string]$Name)
    Add-Type -AssemblyName System.ServiceProcess
    foreach ($controller in [System.ServiceProcess.ServiceController]::GetServices()) {
        if ($controller.ServiceName -eq $Name) {
            return $controller
        }
    }
    return $null
}

function Get-ServiceStateName {
    param([string]$Status)
    $names = @{
        Running = 'running'
        Stopped = 'stopped'
        StartPending = 'start_pending'
        StopPending = 'stop_pending'
        ContinuePending = 'continue_pending'
        PausePending = 'pause_pending'
        Paused = 'paused'
    }
    if ($names.ContainsKey($Status)) {
        return $names[$Status]
    }
    return 'unknown'
}

function Get-ServiceStartModeName {
    param($Start)
    $names = @('boot', 'system', 'auto', 'manual', 'disabled')
    if ($null -ne $Start -and $Start -ge 0 -and $Start -lt $names.Length) {
        return $names[[int]$Start]
    }
    return 'unknown'
}

function Get-ServiceTypeName {
    param($Type)
    if ($null -eq $Type) {
        return 'unknown'
    }
    $base = [int]$Type -band 0x3F
    if ($base -eq 0x10) { return 'own_process' }
    if ($base -eq 0x20) { return 'share_process' }
    if ($base -eq 0x01) { return 'kernel_driver' }
    if ($base -eq 0x02) { return 'file_system_driver' }
    return 'other'
}

function Invoke-ServiceQuery {
    param([System.Collections.IDictionary]$Arguments)
    $name = Get-AgentArgument -Arguments $Arguments -Name 'name' -Type 'string' -Required
    if ($name.Length -eq 0 -or $name.Length -gt 256 -or $name.IndexOfAny([char[]]'\/') -ge 0) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 123 -Message 'service name must be 1-256 characters without \ or /')
    }
    $result = New-AgentMap
    $controller = Find-ServiceController -Name $name
    if ($null -eq $controller) {
        $result['exists'] = $false
        $result['name'] = $name
        return , $result
    }
    $serviceName = $controller.ServiceName
    $result['exists'] = $true
    $result['name'] = $serviceName
    $result['display_name'] = $controller.DisplayName
    $result['state'] = Get-ServiceStateName -Status $controller.Status.ToString()

    $imagePath = $null
    $start = $null
    $type = $null
    $account = $null
    $delayed = $null
    $key = [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey('SYSTEM\CurrentControlSet\Services\' + $serviceName, $false)
    if ($null -ne $key) {
        try {
            $imagePath = $key.GetValue('ImagePath', $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
            $start = $key.GetValue('Start', $null)
            $type = $key.GetValue('Type', $null)
            $account = $key.GetValue('ObjectName', $null)
            $delayed = $key.GetValue('DelayedAutostart', $null)
        }
        finally {
            $key.Close()
        }
    }
    $result['start_mode'] = Get-ServiceStartModeName -Start $start
    $result['delayed_start'] = ($null -ne $delayed -and [int]$delayed -eq 1)
    $result['service_type'] = Get-ServiceTypeName -Type $type
    $result['account'] = $account
    $result['image_path'] = $imagePath
    $result['image_file'] = $null
    $result['image_file_exists'] = $null
    if ($null -ne $imagePath) {
        $imageFile = Get-CommandLineExecutable -CommandLine ([string]$imagePath)
        $result['image_file'] = $imageFile
        $result['image_file_exists'] = ($null -ne $imageFile -and [System.IO.File]::Exists($imageFile))
    }

    $wmi = Get-WmiServiceTable
    $result['exit_code'] = $null
    $result['service_specific_exit_code'] = $null
    $result['process_id'] = $null
    $result['wmi_error'] = $AgentState.WmiError
    if ($wmi.ContainsKey($serviceName)) {
        $item = $wmi[$serviceName]
        $result['exit_code'] = [long]$item.GetPropertyValue('ExitCode')
        $result['service_specific_exit_code'] = [long]$item.GetPropertyValue('ServiceSpecificExitCode')
        $result['process_id'] = [long]$item.GetPropertyValue('ProcessId')
    }
    return , $result
}

# ---------------------------------------------------------------------------------------------
# event.query (classic event log API: present since .NET 1.0, works on every target)
# ---------------------------------------------------------------------------------------------

function Get-EventTypeName {
    param([string]$EntryType)
    $names = @{
        Error = 'error'
        Warning = 'warning'
        Information = 'information'
        SuccessAudit = 'success_audit'
        FailureAudit = 'failure_audit'
    }
    if ($names.ContainsKey($EntryType)) {
        return $names[$EntryType]
    }
    return 'unknown'
}

function ConvertTo-EventRecord {
    param(
        [System.Diagnostics.EventLogEntry]$Entry,
        [bool]$WithMessage
    )
    $record = New-AgentMap
    $record['record'] = [long]$Entry.Index
    $record['time'] = Format-AgentTime -Time $Entry.TimeGenerated
    $record['source'] = $Entry.Source
    $record['event_id'] = [long]($Entry.InstanceId -band 0xFFFF)
    $record['instance_id'] = [long]$Entry.InstanceId
    $record['type'] = Get-EventTypeName -EntryType $Entry.EntryType.ToString()
    $record['insertion_strings'] = New-AgentStringList -Items $Entry.ReplacementStrings
    $record['message'] = $null
    if ($WithMessage) {
        try {
            $record['message'] = $Entry.Message
        }
        catch {
            $record['message'] = $null
        }
    }
    return , $record
}

function Invoke-EventQuery {
    param([System.Collections.IDictionary]$Arguments)
    $logName = Get-AgentArgument -Arguments $Arguments -Name 'log' -Type 'string' -Required
    $sources = Get-AgentArgument -Arguments $Arguments -Name 'sources' -Type 'string[]'
    $eventIds = Get-AgentArgument -Arguments $Arguments -Name 'event_ids' -Type 'int[]'
    $newest = Get-AgentIntegerArgument -Arguments $Arguments -Name 'newest' -Default 50 -Minimum 1 -Maximum 10000
    $maxScan = Get-AgentIntegerArgument -Arguments $Arguments -Name 'max_scan' -Default 10000 -Minimum 1 -Maximum 1000000
    $withMessage = Get-AgentArgument -Arguments $Arguments -Name 'message' -Type 'bool' -Default $true
    $sinceText = Get-AgentArgument -Arguments $Arguments -Name 'since' -Type 'string'
    $since = $null
    if ($null -ne $sinceText) {
        $styles = [System.Globalization.DateTimeStyles]'AssumeUniversal, AdjustToUniversal'
        $parsed = [datetime]::MinValue
        if (-not [datetime]::TryParseExact($sinceText, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", $Invariant, $styles, [ref]$parsed)) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument 'since' must look like 2024-01-31T23:59:00Z")
        }
        $since = $parsed
    }

    $result = New-AgentMap
    $result['log'] = $logName
    if (-not [System.Diagnostics.EventLog]::Exists($logName)) {
        $result['exists'] = $false
        return , $result
    }
    $events = New-AgentList
    $scanned = 0
    $complete = $true
    $log = New-Object -TypeName System.Diagnostics.EventLog -ArgumentList $logName
    try {
        $entries = $log.Entries
        $index = $entries.Count - 1
        # Newest entries are last; walk backwards until enough matches, the time limit or the scan limit.
        while ($index -ge 0 -and $events.Count -lt $newest) {
            if ($scanned -ge $maxScan) {
                $complete = $false
                break
            }
            $entry = $null
            try {
                $entry = $entries[$index]
            }
            catch {
                # The log was cleared or wrapped while it was read: report what was seen.
                $complete = $false
                break
            }
            $index--
            $scanned++
            if ($null -ne $since -and $entry.TimeGenerated.ToUniversalTime() -lt $since) {
                break
            }
            if ($null -ne $eventIds -and -not ($eventIds -contains ($entry.InstanceId -band 0xFFFF))) {
                continue
            }
            if ($null -ne $sources -and -not ($sources -contains $entry.Source)) {
                continue
            }
            [void]$events.Add((ConvertTo-EventRecord -Entry $entry -WithMessage $withMessage))
        }
    }
    finally {
        $log.Dispose()
    }
    $result['exists'] = $true
    $result['scanned'] = $scanned
    $result['complete'] = $complete
    $result['events'] = $events
    return , $result
}

# ---------------------------------------------------------------------------------------------
# file.stat and file.tree
# ---------------------------------------------------------------------------------------------

function Open-AgentFileForRead {
    # Share everything: the files of interest are often held open by running services.
    param([string]$Path)
    $share = [System.IO.FileShare]'ReadWrite, Delete'
    return [System.IO.File]::Open($Path, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, $share)
}

function New-Sha256 {
    # The CryptoServiceProvider (.NET 3.5+) also works where FIPS mode forbids SHA256Managed.
    try {
        return (New-Object -TypeName System.Security.Cryptography.SHA256CryptoServiceProvider)
    }
    catch {
        return (New-Object -TypeName System.Security.Cryptography.SHA256Managed)
    }
}

function Get-FileSha256 {
    param([string]$Path)
    $algorithm = New-Sha256
    $stream = Open-AgentFileForRead -Path $Path
    try {
        $hash = $algorithm.ComputeHash($stream)
    }
    finally {
        $stream.Close()
    }
    return ConvertTo-HexString -Bytes $hash
}

function Get-PeMachineName {
    param([int]$Machine)
    $names = @{
        0x014c = 'i386'
        0x0166 = 'mips'
        0x0184 = 'alpha'
        0x01c0 = 'arm'
        0x01c4 = 'armnt'
        0x01f0 = 'powerpc'
        0x0200 = 'ia64'
        0x0284 = 'alpha64'
        0x8664 = 'amd64'
        0xaa64 = 'arm64'
    }
    if ($names.ContainsKey($Machine)) {
        return $names[$Machine]
    }
    return 'unknown'
}

function Get-PeHeader {
    # Reads the COFF Machine field: DOS header -> e_lfanew -> "PE\0\0" -> Machine.
    param([string]$Path)
    $header = New-AgentMap
    $header['valid'] = $false
    $header['machine'] = $null
    $header['machine_name'] = $null
    $stream = Open-AgentFileForRead -Path $Path
    try {
        $reader = New-Object -TypeName System.IO.BinaryReader -ArgumentList $stream
        if ($stream.Length -ge 64 -and $reader.ReadUInt16() -eq 0x5A4D) {
            [void]$stream.Seek(0x3C, [System.IO.SeekOrigin]::Begin)
            $offset = $reader.ReadInt32()
            if ($offset -gt 0 -and ([long]$offset + 6) -le $stream.Length) {
                [void]$stream.Seek($offset, [System.IO.SeekOrigin]::Begin)
                if ($reader.ReadUInt32() -eq 0x00004550) {
                    $machine = [int]$reader.ReadUInt16()
                    $header['valid'] = $true
                    $header['machine'] = $machine
                    $header['machine_name'] = Get-PeMachineName -Machine $machine
                }
            }
        }
    }
    finally {
        $stream.Close()
    }
    return , $header
}

function ConvertTo-AttributeList {
    param([System.IO.FileAttributes]$Attributes)
    $list = New-AgentList
    foreach ($name in $Attributes.ToString().Split([char[]]',')) {
        [void]$list.Add($name.Trim())
    }
    return , $list
}

function Invoke-FileStat {
    param([System.Collections.IDictionary]$Arguments)
    $path = Get-AgentPathArgument -Arguments $Arguments -Name 'path'
    $withHash = Get-AgentArgument -Arguments $Arguments -Name 'sha256' -Type 'bool' -Default $false
    $withPe = Get-AgentArgument -Arguments $Arguments -Name 'pe' -Type 'bool' -Default $false
    $withVersion = Get-AgentArgument -Arguments $Arguments -Name 'version' -Type 'bool' -Default $false

    $result = New-AgentMap
    $result['path'] = $path
    if ([System.IO.Directory]::Exists($path)) {
        $directory = New-Object -TypeName System.IO.DirectoryInfo -ArgumentList $path
        $result['exists'] = $true
        $result['type'] = 'directory'
        $result['size'] = $null
        $result['mtime'] = Format-AgentTime -Time $directory.LastWriteTimeUtc
        $result['attributes'] = ConvertTo-AttributeList -Attributes $directory.Attributes
        return , $result
    }
    $file = New-Object -TypeName System.IO.FileInfo -ArgumentList $path
    if (-not $file.Exists) {
        $result['exists'] = $false
        return , $result
    }
    $result['exists'] = $true
    $result['type'] = 'file'
    $result['size'] = [long]$file.Length
    $result['mtime'] = Format-AgentTime -Time $file.LastWriteTimeUtc
    $result['attributes'] = ConvertTo-AttributeList -Attributes $file.Attributes
    if ($withHash) {
        $result['sha256'] = Get-FileSha256 -Path $path
    }
    if ($withPe) {
        $result['pe'] = Get-PeHeader -Path $path
    }
    if ($withVersion) {
        $result['file_version'] = [System.Diagnostics.FileVersionInfo]::GetVersionInfo($path).FileVersion
    }
    return , $result
}

function New-LimitException {
    param([string]$Message)
    return (New-AgentException -Kind 'limit_exceeded' -Code $null -Message $Message)
}

function Invoke-FileTree {
    param([System.Collections.IDictionary]$Arguments)
    $root = Get-AgentPathArgument -Arguments $Arguments -Name 'path'
    $withHash = Get-AgentArgument -Arguments $Arguments -Name 'sha256' -Type 'bool' -Default $true
    $maxFiles = Get-AgentIntegerArgument -Arguments $Arguments -Name 'max_files' -Default 10000 -Minimum 0 -Maximum 1000000
    $maxBytes = Get-AgentIntegerArgument -Arguments $Arguments -Name 'max_bytes' -Default 1073741824 -Minimum 0 -Maximum 1099511627776
    $maxDepth = Get-AgentIntegerArgument -Arguments $Arguments -Name 'max_depth' -Default 32 -Minimum 0 -Maximum 256

    $result = New-AgentMap
    $result['path'] = $root
    if (-not [System.IO.Directory]::Exists($root)) {
        if ([System.IO.File]::Exists($root)) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 267 -Message 'path is a file, not a directory')
        }
        $result['exists'] = $false
        return , $result
    }
    $rootPath = $root.TrimEnd([char[]]'\/')
    $files = New-AgentList
    $directories = New-AgentList
    $totalBytes = [long]0
    $pending = New-Object -TypeName System.Collections.Stack
    $pending.Push(@{ Relative = ''; Depth = 0 })
    while ($pending.Count -gt 0) {
        $current = $pending.Pop()
        $prefix = ''
        if ($current.Relative.Length -gt 0) {
            $prefix = $current.Relative + '\'
        }
        $directory = New-Object -TypeName System.IO.DirectoryInfo -ArgumentList ($rootPath + '\' + $current.Relative)
        foreach ($child in $directory.GetDirectories()) {
            $isReparse = ([int]($child.Attributes -band [System.IO.FileAttributes]::ReparsePoint)) -ne 0
            $entry = New-AgentMap
            $entry['path'] = $prefix + $child.Name
            $entry['mtime'] = Format-AgentTime -Time $child.LastWriteTimeUtc
            $entry['reparse_point'] = $isReparse
            [void]$directories.Add($entry)
            # Junctions and symbolic links are listed but not followed: they can loop or leave the tree.
            if (-not $isReparse) {
                if ($current.Depth + 1 -gt $maxDepth) {
                    throw (New-LimitException -Message "tree is deeper than max_depth $maxDepth")
                }
                $pending.Push(@{ Relative = $prefix + $child.Name; Depth = $current.Depth + 1 })
            }
        }
        foreach ($file in $directory.GetFiles()) {
            if ($files.Count -ge $maxFiles) {
                throw (New-LimitException -Message "tree has more than max_files $maxFiles files")
            }
            $totalBytes = $totalBytes + $file.Length
            if ($totalBytes -gt $maxBytes) {
                throw (New-LimitException -Message "tree holds more than max_bytes $maxBytes bytes")
            }
            $entry = New-AgentMap
            $entry['path'] = $prefix + $file.Name
            $entry['size'] = [long]$file.Length
            $entry['mtime'] = Format-AgentTime -Time $file.LastWriteTimeUtc
            if ($withHash) {
                $entry['sha256'] = Get-FileSha256 -Path $file.FullName
            }
            [void]$files.Add($entry)
        }
    }
    $result['exists'] = $true
    $result['file_count'] = $files.Count
    $result['total_bytes'] = $totalBytes
    $result['directories'] = $directories
    $result['files'] = $files
    return , $result
}

# ---------------------------------------------------------------------------------------------
# Request handling
# ---------------------------------------------------------------------------------------------

function Invoke-AgentOperation {
    # Runs one operation; whatever happens, answers with a result entry and never throws.
    param($Operation)
    $entry = New-AgentMap
    $entry['id'] = $null
    $entry['op'] = $null
    $opName = $null
    $storable = $false
    try {
        if ($Operation -isnot [System.Collections.IDictionary]) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'an operation must be a JSON object')
        }
        $id = $Operation['id']
        $opName = $Operation['op']
        $entry['id'] = $id
        $entry['op'] = $opName
        if ($id -isnot [string] -or -not $AgentIdPattern.IsMatch($id)) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'operation id must match [A-Za-z0-9_.:-]{1,128}')
        }
        if ($AgentState.Results.ContainsKey($id)) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "operation id '$id' is used twice")
        }
        $storable = $true
        if ($opName -isnot [string] -or -not $AgentOperations.ContainsKey($opName)) {
            throw (New-AgentException -Kind 'unknown_operation' -Code 50 -Message "operation '$opName' is not supported by this agent")
        }
        $opArguments = $Operation['args']
        if ($null -eq $opArguments) {
            $opArguments = @{}
        }
        if ($opArguments -isnot [System.Collections.IDictionary]) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'args must be a JSON object')
        }
        $resolved = Resolve-AgentArgumentSet -Arguments $opArguments
        $handler = $AgentOperations[$opName]
        $value = & $handler -Arguments $resolved
        $entry['ok'] = $true
        $entry['value'] = $value
    }
    catch {
        $entry['ok'] = $false
        $entry['error'] = ConvertTo-AgentError -ErrorRecord $_ -Operation $opName
    }
    if ($storable) {
        $AgentState.Results[$entry['id']] = $entry
    }
    return , $entry
}

function Get-AgentDescription {
    $operations = New-AgentStringList -Items $AgentOperations.Keys
    $operations.Sort()
    $description = New-AgentMap
    $description['name'] = $AgentState.Name
    $description['powershell_version'] = Get-PowerShellVersion
    $description['clr_version'] = [System.Environment]::Version.ToString()
    $description['operations'] = $operations
    $description['elapsed_ms'] = $null
    return , $description
}

function New-RequestFailure {
    param(
        [string]$Kind,
        $Code,
        [string]$Message
    )
    $failure = New-AgentMap
    $failure['op'] = $null
    $failure['kind'] = $Kind
    $failure['code'] = $Code
    $failure['message'] = $Message
    $failure['exception'] = $null
    return , $failure
}

function Invoke-AgentRequest {
    param([string]$RequestText)
    $results = New-AgentList
    $response = New-AgentMap
    $response['protocol'] = $AgentState.Protocol
    $response['ok'] = $false
    $response['agent'] = Get-AgentDescription
    $response['results'] = $results
    $response['error'] = $null
    try {
        $request = ConvertFrom-AgentJson -Text $RequestText
    }
    catch {
        $response['error'] = New-RequestFailure -Kind 'invalid_request' -Code 13 -Message $_.Exception.Message
        return , $response
    }
    if ($request -isnot [System.Collections.IDictionary]) {
        $response['error'] = New-RequestFailure -Kind 'invalid_request' -Code 13 -Message 'request must be a JSON object'
        return , $response
    }
    if (-not ($request['protocol'] -is [string] -and $request['protocol'] -ceq $AgentState.Protocol)) {
        $message = 'this agent speaks ' + $AgentState.Protocol + ' only'
        $response['error'] = New-RequestFailure -Kind 'unsupported_protocol' -Code 50 -Message $message
        return , $response
    }
    $operations = $request['operations']
    if ($operations -isnot [System.Collections.IList]) {
        $response['error'] = New-RequestFailure -Kind 'invalid_request' -Code 13 -Message 'operations must be a JSON array'
        return , $response
    }
    foreach ($operation in $operations) {
        [void]$results.Add((Invoke-AgentOperation -Operation $operation))
    }
    $response['ok'] = $true
    return , $response
}

$requestText = [string]::Join("`n", [string[]]@($input))
try {
    $response = Invoke-AgentRequest -RequestText $requestText
    $response['agent']['elapsed_ms'] = [long]$AgentState.Clock.ElapsedMilliseconds
    ConvertTo-AgentJson -Value $response
}
catch {
    # Last resort: a fixed-shape answer with the message reduced to characters that need no escaping.
    $reason = ($_.Exception.Message -replace '[^\x20-\x7E]', ' ') -replace '["\\]', "'"
    '{"protocol":"win-primitive-agent/1","ok":false,"agent":null,"results":[],"error":' +
    '{"op":null,"kind":"internal","code":null,"message":"' + $reason + '","exception":null}}'
}
