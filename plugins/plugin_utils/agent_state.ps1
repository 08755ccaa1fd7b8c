# win-primitive-agent: state.read and state.write: a small JSON record per name.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.

$AgentOperations['state.read'] = 'Invoke-StateRead'
$AgentOperations['state.write'] = 'Invoke-StateWrite'

$StateRecordLimit = 65536

function Test-JsonNumber {
    param($Value)
    return ((Test-JsonInteger -Value $Value) -or $Value -is [double])
}

function Test-JsonEqual {
    # Deep equality of two values from the JSON reader: same members, same order in arrays.
    param(
        $Left,
        $Right
    )
    if ($null -eq $Left -or $null -eq $Right) {
        return ($null -eq $Left -and $null -eq $Right)
    }
    if ($Left -is [System.Collections.IDictionary]) {
        if ($Right -isnot [System.Collections.IDictionary] -or $Left.Count -ne $Right.Count) {
            return $false
        }
        foreach ($entry in $Left.GetEnumerator()) {
            if (-not $Right.Contains($entry.Key) -or -not (Test-JsonEqual -Left $entry.Value -Right $Right[$entry.Key])) {
                return $false
            }
        }
        return $true
    }
    if ($Left -is [string] -or $Right -is [string]) {
        return ($Left -is [string] -and $Right -is [string] -and $Left -ceq $Right)
    }
    if ($Left -is [bool] -or $Right -is [bool]) {
        return ($Left -is [bool] -and $Right -is [bool] -and $Left -eq $Right)
    }
    if ($Left -is [System.Collections.IList]) {
        if ($Right -isnot [System.Collections.IList] -or $Left.Count -ne $Right.Count) {
            return $false
        }
        for ($index = 0; $index -lt $Left.Count; $index++) {
            if (-not (Test-JsonEqual -Left $Left[$index] -Right $Right[$index])) {
                return $false
            }
        }
        return $true
    }
    if ((Test-JsonNumber -Value $Left) -and (Test-JsonNumber -Value $Right)) {
        if ((Test-JsonInteger -Value $Left) -and (Test-JsonInteger -Value $Right)) {
            return ([long]$Left -eq [long]$Right)
        }
        return ([double]$Left -eq [double]$Right)
    }
    return $false
}

function Read-StateRecord {
    # The record's members, or $null when there is none; os_error 13 when the file is not a record.
    param([string]$Path)
    if (-not [System.IO.File]::Exists($Path)) {
        return $null
    }
    $text = [System.IO.File]::ReadAllText($Path, [System.Text.Encoding]::ASCII)
    try {
        $record = ConvertFrom-AgentJson -Text $text
    }
    catch {
        $record = $null
    }
    if ($record -isnot [System.Collections.IDictionary] -or -not $record.Contains('value') -or $record['updated'] -isnot [string]) {
        throw (New-AgentException -Kind 'os_error' -Code 13 -Message "'$Path' is not a state record")
    }
    return , $record
}

function Invoke-StateRead {
    param([System.Collections.IDictionary]$Arguments)
    $name = Get-RecordNameArgument -Arguments $Arguments
    $record = Read-StateRecord -Path ((Get-AgentStateDirectory -Area 'state') + '\' + $name + '.json')
    $result = New-AgentMap
    $result['name'] = $name
    $result['exists'] = $null -ne $record
    if ($null -ne $record) {
        $result['updated'] = $record['updated']
        $result['value'] = $record['value']
    }
    return , $result
}

function Invoke-StateWrite {
    param([System.Collections.IDictionary]$Arguments)
    $name = Get-RecordNameArgument -Arguments $Arguments
    $delete = Get-AgentArgument -Arguments $Arguments -Name 'delete' -Type 'bool' -Default $false
    $value = $Arguments['value']
    if (-not $delete -and $null -eq $value) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument 'value' is required unless delete is true")
    }
    $path = (Get-AgentStateDirectory -Area 'state' -Create:(-not $delete)) + '\' + $name + '.json'
    $result = New-AgentMap
    $result['name'] = $name
    $result['changed'] = $false
    $result['updated'] = $null
    if ($delete) {
        if ([System.IO.File]::Exists($path)) {
            [System.IO.File]::Delete($path)
            $result['changed'] = $true
        }
        return , $result
    }
    $existing = $null
    try {
        $existing = Read-StateRecord -Path $path
    }
    catch {
        # A damaged record is replaced.
        $existing = $null
    }
    if ($null -ne $existing -and (Test-JsonEqual -Left $existing['value'] -Right $value)) {
        $result['updated'] = $existing['updated']
        return , $result
    }
    $record = New-AgentMap
    $record['name'] = $name
    $record['updated'] = Format-AgentTime -Time (Get-UtcSecond)
    $record['value'] = $value
    $text = ConvertTo-AgentJson -Value $record
    if ($text.Length -gt $StateRecordLimit) {
        $message = "the record would take " + $text.Length + " bytes, more than $StateRecordLimit"
        throw (New-AgentException -Kind 'limit_exceeded' -Code $null -Message $message)
    }
    Write-AgentTextFile -Path $path -Text $text
    $result['changed'] = $true
    $result['updated'] = $record['updated']
    return , $result
}
