# win-primitive-agent: the state root and the record helpers that locks, state and processes share.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.
#
# Records are small files under %SystemRoot%\Temp\win-primitive-agent (%ProgramData% does not
# exist on the oldest targets): lock\<name>.lock and state\<name>.json, one line of JSON each.

$RecordNamePattern = [regex]'^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}\z'
$ReservedDeviceNamePattern = [regex]'^(?i:CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\.|\z)'

function Get-AgentStateDirectory {
    # Read operations pass no -Create: they never change the host.
    param(
        [string]$Area,
        [switch]$Create
    )
    $systemRoot = [System.Environment]::GetEnvironmentVariable('SystemRoot')
    if ($null -eq $systemRoot -or $systemRoot.Length -eq 0) {
        $systemRoot = [System.IO.Path]::GetDirectoryName([System.Environment]::SystemDirectory)
    }
    $directory = $systemRoot + '\Temp\win-primitive-agent\' + $Area
    if ($Create -and -not [System.IO.Directory]::Exists($directory)) {
        [void][System.IO.Directory]::CreateDirectory($directory)
    }
    return $directory
}

function Get-RecordNameArgument {
    param([System.Collections.IDictionary]$Arguments)
    $name = Get-AgentArgument -Arguments $Arguments -Name 'name' -Type 'string' -Required
    if (-not $RecordNamePattern.IsMatch($name) -or $ReservedDeviceNamePattern.IsMatch($name)) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 123 -Message "record name '$name' is not allowed")
    }
    return $name
}

function Get-OwnerArgument {
    param([System.Collections.IDictionary]$Arguments)
    $owner = Get-AgentArgument -Arguments $Arguments -Name 'owner' -Type 'string' -Required
    if ($owner.Length -lt 1 -or $owner.Length -gt 256) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument 'owner' must be 1-256 characters")
    }
    return $owner
}

function Get-UtcSecond {
    # Now, cut to whole seconds like every protocol time.
    $now = [System.DateTime]::UtcNow
    return $now.AddTicks(-($now.Ticks % [System.TimeSpan]::TicksPerSecond))
}

function ConvertFrom-AgentTimeText {
    # A protocol time string as a UTC DateTime, or $null when it is not one.
    param($Text)
    if ($Text -isnot [string]) {
        return $null
    }
    $styles = [System.Globalization.DateTimeStyles]'AssumeUniversal, AdjustToUniversal'
    $parsed = [datetime]::MinValue
    if ([datetime]::TryParseExact($Text, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", $Invariant, $styles, [ref]$parsed)) {
        return $parsed
    }
    return $null
}

function Write-AgentTextFile {
    # Replaces a record in one step: written beside it, then swapped in.
    param(
        [string]$Path,
        [string]$Text
    )
    $temporary = $Path + '.tmp'
    $previous = $Path + '.old'
    # Leftovers of an interrupted write (ReadOnly when copied or restored) must not fail this one.
    Remove-AgentLeftover -Path $temporary
    Remove-AgentLeftover -Path $previous
    [System.IO.File]::WriteAllText($temporary, $Text, [System.Text.Encoding]::ASCII)
    if (-not [System.IO.File]::Exists($Path)) {
        [System.IO.File]::Move($temporary, $Path)
        return
    }
    # PowerShell 2.0 passes $null to a string parameter as "", so File.Replace gets a real backup name.
    try {
        [System.IO.File]::Replace($temporary, $Path, $previous)
    }
    catch {
        # File.Replace needs NTFS; elsewhere the record is briefly absent.
        [System.IO.File]::Delete($Path)
        [System.IO.File]::Move($temporary, $Path)
    }
    Remove-AgentLeftover -Path $previous
}

function Remove-AgentLeftover {
    param([string]$Path)
    if ([System.IO.File]::Exists($Path)) {
        [System.IO.File]::SetAttributes($Path, [System.IO.FileAttributes]::Normal)
        [System.IO.File]::Delete($Path)
    }
}
