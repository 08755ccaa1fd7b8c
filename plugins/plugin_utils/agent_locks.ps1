# win-primitive-agent: lock.acquire and lock.release: a named host-wide lock file, created exclusively.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.

$AgentOperations['lock.acquire'] = 'Invoke-LockAcquire'
$AgentOperations['lock.release'] = 'Invoke-LockRelease'

# A lock file that cannot be read as a lock counts as held for this long after its last write.
$LockSettleSeconds = 60

function New-LockText {
    param(
        [string]$Name,
        [string]$Owner,
        [string]$Acquired,
        [string]$Expires
    )
    $record = New-AgentMap
    $record['name'] = $Name
    $record['owner'] = $Owner
    $record['acquired'] = $Acquired
    $record['expires'] = $Expires
    return (ConvertTo-AgentJson -Value $record)
}

function Read-LockRecord {
    # The lock's members, or $null when the text is not a lock (a writer died half-way).
    param([string]$Text)
    try {
        $record = ConvertFrom-AgentJson -Text $Text
    }
    catch {
        return $null
    }
    if ($record -isnot [System.Collections.IDictionary] -or $record['owner'] -isnot [string] -or
        $null -eq (ConvertFrom-AgentTimeText -Text $record['expires'])) {
        return $null
    }
    return , $record
}

function Open-LockFile {
    # Exclusive handle on an existing lock file; $null when it vanished or another run holds it open.
    param([string]$Path)
    try {
        return [System.IO.File]::Open($Path, [System.IO.FileMode]::Open, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None)
    }
    catch {
        $exception = $_.Exception
        while (Test-WrapperException -Exception $exception) {
            $exception = $exception.InnerException
        }
        if (-not [System.IO.File]::Exists($Path) -or (Get-Win32ErrorCode -Exception $exception) -eq 32) {
            return $null
        }
        throw
    }
}

function Read-LockStream {
    param([System.IO.FileStream]$Stream)
    $bytes = New-Object -TypeName byte[] -ArgumentList ([int]$Stream.Length)
    $read = 0
    while ($read -lt $bytes.Length) {
        $count = $Stream.Read($bytes, $read, $bytes.Length - $read)
        if ($count -le 0) {
            break
        }
        $read = $read + $count
    }
    return [System.Text.Encoding]::ASCII.GetString($bytes, 0, $read)
}

function New-LockHeldException {
    param(
        [string]$Name,
        $Record
    )
    if ($null -eq $Record) {
        $message = "lock '$Name' is being written by another run"
    }
    else {
        $message = "lock '$Name' is held by '" + $Record['owner'] + "' until " + $Record['expires']
    }
    return (New-AgentException -Kind 'lock_held' -Code 33 -Message $message)
}

function New-LockFile {
    # Exclusive create: of two runs that try at once, exactly one succeeds. $false when it exists.
    param(
        [string]$Path,
        [string]$Text
    )
    try {
        $stream = [System.IO.File]::Open($Path, [System.IO.FileMode]::CreateNew, [System.IO.FileAccess]::Write, [System.IO.FileShare]::None)
    }
    catch {
        if ([System.IO.File]::Exists($Path)) {
            return $false
        }
        throw
    }
    try {
        $bytes = [System.Text.Encoding]::ASCII.GetBytes($Text)
        $stream.Write($bytes, 0, $bytes.Length)
    }
    finally {
        $stream.Close()
    }
    return $true
}

function Update-LockFile {
    # Renews or takes over an existing lock under an exclusive handle; $null when it must be retried.
    param(
        [string]$Path,
        [string]$Name,
        [string]$Owner,
        [datetime]$Now,
        [string]$Expires,
        [string]$TakeOver
    )
    $stream = Open-LockFile -Path $Path
    if ($null -eq $stream) {
        return $null
    }
    try {
        $record = Read-LockRecord -Text (Read-LockStream -Stream $stream)
        $result = New-AgentMap
        $result['name'] = $Name
        $result['changed'] = $true
        $result['owner'] = $Owner
        $result['acquired'] = Format-AgentTime -Time $Now
        $result['expires'] = $Expires
        $result['previous_owner'] = $null
        if ($null -eq $record) {
            $age = ($Now - [System.IO.File]::GetLastWriteTimeUtc($Path)).TotalSeconds
            if ($age -le $LockSettleSeconds) {
                throw (New-LockHeldException -Name $Name -Record $null)
            }
        }
        elseif ($record['owner'] -ceq $Owner) {
            $result['changed'] = $false
            if ($null -ne (ConvertFrom-AgentTimeText -Text $record['acquired'])) {
                $result['acquired'] = $record['acquired']
            }
        }
        elseif ($TakeOver.Length -gt 0 -and $record['owner'] -ceq $TakeOver) {
            # The caller knows that holder is gone (a run of its own controller that died): taken at once.
            $result['previous_owner'] = $record['owner']
        }
        elseif ((ConvertFrom-AgentTimeText -Text $record['expires']) -gt $Now) {
            throw (New-LockHeldException -Name $Name -Record $record)
        }
        else {
            $result['previous_owner'] = $record['owner']
        }
        $bytes = [System.Text.Encoding]::ASCII.GetBytes((New-LockText -Name $Name -Owner $Owner -Acquired $result['acquired'] -Expires $Expires))
        $stream.SetLength(0)
        $stream.Write($bytes, 0, $bytes.Length)
    }
    finally {
        $stream.Close()
    }
    return , $result
}

function Invoke-LockAcquire {
    param([System.Collections.IDictionary]$Arguments)
    $name = Get-RecordNameArgument -Arguments $Arguments
    $owner = Get-OwnerArgument -Arguments $Arguments
    $ttl = Get-AgentIntegerArgument -Arguments $Arguments -Name 'ttl_seconds' -Default 3600 -Minimum 1 -Maximum 86400
    $takeOver = Get-AgentArgument -Arguments $Arguments -Name 'take_over' -Type 'string' -Default ''
    $path = (Get-AgentStateDirectory -Area 'lock' -Create) + '\' + $name + '.lock'
    for ($attempt = 0; $attempt -lt 20; $attempt++) {
        $now = Get-UtcSecond
        $acquired = Format-AgentTime -Time $now
        $expires = Format-AgentTime -Time $now.AddSeconds($ttl)
        if (New-LockFile -Path $path -Text (New-LockText -Name $name -Owner $owner -Acquired $acquired -Expires $expires)) {
            $result = New-AgentMap
            $result['name'] = $name
            $result['changed'] = $true
            $result['owner'] = $owner
            $result['acquired'] = $acquired
            $result['expires'] = $expires
            $result['previous_owner'] = $null
            return , $result
        }
        $result = Update-LockFile -Path $path -Name $name -Owner $owner -Now $now -Expires $expires -TakeOver $takeOver
        if ($null -ne $result) {
            return , $result
        }
        # Released or held open by another run this instant: look again.
        Start-Sleep -Milliseconds 100
    }
    throw (New-LockHeldException -Name $name -Record $null)
}

function Invoke-LockRelease {
    param([System.Collections.IDictionary]$Arguments)
    $name = Get-RecordNameArgument -Arguments $Arguments
    $owner = Get-OwnerArgument -Arguments $Arguments
    $force = Get-AgentArgument -Arguments $Arguments -Name 'force' -Type 'bool' -Default $false
    $path = (Get-AgentStateDirectory -Area 'lock') + '\' + $name + '.lock'
    $result = New-AgentMap
    $result['name'] = $name
    $result['changed'] = $false
    $result['previous_owner'] = $null
    for ($attempt = 0; $attempt -lt 20; $attempt++) {
        if (-not [System.IO.File]::Exists($path)) {
            return , $result
        }
        $stream = Open-LockFile -Path $path
        if ($null -ne $stream) {
            try {
                $record = Read-LockRecord -Text (Read-LockStream -Stream $stream)
            }
            finally {
                $stream.Close()
            }
            if ($null -ne $record) {
                $result['previous_owner'] = $record['owner']
            }
            if (-not $force -and ($null -eq $record -or $record['owner'] -cne $owner)) {
                throw (New-LockHeldException -Name $name -Record $record)
            }
            [System.IO.File]::Delete($path)
            $result['changed'] = $true
            return , $result
        }
        Start-Sleep -Milliseconds 100
    }
    throw (New-LockHeldException -Name $name -Record $null)
}
