# win-primitive-agent: JSON reader and writer (PowerShell 2.0 has neither).
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.

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
