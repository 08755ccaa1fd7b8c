# win-primitive-agent: file.write, file.copy, file.delete and dir.create.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.
#
# Each operation first finds out whether the host already is as asked; then it writes nothing
# and answers changed = false.

$AgentOperations['file.write'] = 'Invoke-FileWrite'
$AgentOperations['file.copy'] = 'Invoke-FileCopy'
$AgentOperations['file.delete'] = 'Invoke-FileDelete'
$AgentOperations['dir.create'] = 'Invoke-DirCreate'

function Assert-NotDirectory {
    param(
        [string]$Path,
        [string]$Name
    )
    if ([System.IO.Directory]::Exists($Path)) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument '$Name' names a directory, not a file")
    }
}

function Clear-ReadOnlyAttribute {
    # Media copied from CD-ROM is read-only; replacing or deleting such a file needs the flag off.
    # -Hidden also clears Hidden: CopyFile refuses to overwrite a hidden file.
    param(
        [string]$Path,
        [switch]$Hidden
    )
    $attributes = [int][System.IO.File]::GetAttributes($Path)
    $clear = [int][System.IO.FileAttributes]::ReadOnly
    if ($Hidden) {
        $clear = $clear -bor [int][System.IO.FileAttributes]::Hidden
    }
    if (($attributes -band $clear) -ne 0) {
        [System.IO.File]::SetAttributes($Path, [System.IO.FileAttributes]($attributes -band (-bnot $clear)))
    }
}

function New-AgentDirectory {
    # Directory.CreateDirectory, but a drive or share that is not there is not_found (3) as protocol 6.5 says:
    # .NET reports a missing share as error 53 (network path) once the path goes below the share's root.
    param([string]$Path)
    $root = [System.IO.Path]::GetPathRoot($Path)
    if (-not [System.IO.Directory]::Exists($root)) {
        throw (New-Object -TypeName System.IO.DirectoryNotFoundException -ArgumentList "Could not find a part of the path '$root'.")
    }
    [void][System.IO.Directory]::CreateDirectory($Path)
}

function New-ParentDirectory {
    param(
        [string]$Path,
        [bool]$Create
    )
    $parent = [System.IO.Path]::GetDirectoryName($Path)
    if ($null -eq $parent -or $parent.Length -eq 0 -or [System.IO.Directory]::Exists($parent)) {
        return
    }
    if (-not $Create) {
        throw (New-AgentException -Kind 'not_found' -Code 3 -Message "the directory '$parent' does not exist")
    }
    New-AgentDirectory -Path $parent
}

function Get-AgentSha256Argument {
    param(
        [System.Collections.IDictionary]$Arguments,
        [string]$Name
    )
    $text = Get-AgentArgument -Arguments $Arguments -Name $Name -Type 'string'
    if ($null -eq $text) {
        return $null
    }
    if ($text -notmatch '^[0-9A-Fa-f]{64}\z') {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument '$Name' must be 64 hex digits")
    }
    return $text.ToLowerInvariant()
}

function New-ChecksumException {
    param(
        [string]$Path,
        [string]$Expected,
        [string]$Actual
    )
    $message = "SHA-256 of '$Path' is $Actual, expected $Expected"
    return (New-AgentException -Kind 'checksum_mismatch' -Code $null -Message $message)
}

function ConvertFrom-AgentBase64 {
    param([string]$Text)
    try {
        return , ([System.Convert]::FromBase64String($Text))
    }
    catch {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument 'content' is not base64")
    }
}

function Test-FileRegion {
    # True when the file ends right after Content and holds exactly Content from Offset on.
    param(
        [string]$Path,
        [long]$Offset,
        [byte[]]$Content
    )
    $stream = Open-AgentFileForRead -Path $Path
    try {
        if ($stream.Length -ne $Offset + $Content.Length) {
            return $false
        }
        [void]$stream.Seek($Offset, [System.IO.SeekOrigin]::Begin)
        $existing = New-Object -TypeName byte[] -ArgumentList $Content.Length
        $read = 0
        while ($read -lt $Content.Length) {
            $count = $stream.Read($existing, $read, $Content.Length - $read)
            if ($count -le 0) {
                return $false
            }
            $read = $read + $count
        }
    }
    finally {
        $stream.Close()
    }
    # Base64 text compares byte arrays in native code; a PowerShell loop over bytes is slow.
    return ([System.Convert]::ToBase64String($existing) -ceq [System.Convert]::ToBase64String($Content))
}

function Write-FileRegion {
    # OpenOrCreate rather than Create: Create (CREATE_ALWAYS) is refused for hidden or system files.
    param(
        [string]$Path,
        [long]$Offset,
        [byte[]]$Content
    )
    $stream = [System.IO.File]::Open($Path, [System.IO.FileMode]::OpenOrCreate, [System.IO.FileAccess]::Write, [System.IO.FileShare]::Read)
    try {
        [void]$stream.Seek($Offset, [System.IO.SeekOrigin]::Begin)
        $stream.Write($Content, 0, $Content.Length)
        $stream.SetLength($Offset + $Content.Length)
    }
    finally {
        $stream.Close()
    }
}

function Set-FileTime {
    # Returns $true when the last write time had to change (compared at the protocol's one-second precision).
    param(
        [string]$Path,
        $Time
    )
    if ($null -eq $Time) {
        return $false
    }
    if ((Format-AgentTime -Time ([System.IO.File]::GetLastWriteTimeUtc($Path))) -eq (Format-AgentTime -Time $Time)) {
        return $false
    }
    Clear-ReadOnlyAttribute -Path $Path
    [System.IO.File]::SetLastWriteTimeUtc($Path, $Time)
    return $true
}

function Invoke-FileWrite {
    param([System.Collections.IDictionary]$Arguments)
    $path = Get-AgentPathArgument -Arguments $Arguments -Name 'path'
    $contentText = Get-AgentArgument -Arguments $Arguments -Name 'content' -Type 'string' -Required
    $offset = Get-AgentIntegerArgument -Arguments $Arguments -Name 'offset' -Default 0 -Minimum 0 -Maximum 1099511627776
    $append = Get-AgentArgument -Arguments $Arguments -Name 'append' -Type 'bool' -Default $false
    $createParents = Get-AgentArgument -Arguments $Arguments -Name 'create_parents' -Type 'bool' -Default $true
    $expected = Get-AgentSha256Argument -Arguments $Arguments -Name 'expect_sha256'
    $mtime = Get-AgentTimeArgument -Arguments $Arguments -Name 'mtime'
    if ($append -and $offset -gt 0) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "arguments 'append' and 'offset' exclude each other")
    }
    $content = ConvertFrom-AgentBase64 -Text $contentText
    Assert-NotDirectory -Path $path -Name 'path'
    $existed = [System.IO.File]::Exists($path)
    if ($existed) {
        $length = (New-Object -TypeName System.IO.FileInfo -ArgumentList $path).Length
        if ($append) {
            $offset = $length
        }
        elseif ($length -lt $offset) {
            # ${offset}: a ":" right after $offset would make it a drive-qualified name, which does not parse.
            $message = "the file holds $length bytes, fewer than offset ${offset}: an earlier chunk is missing"
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message $message)
        }
    }
    elseif ($offset -gt 0) {
        throw (New-AgentException -Kind 'not_found' -Code 2 -Message "the file does not exist, so offset $offset has no earlier chunk")
    }
    else {
        New-ParentDirectory -Path $path -Create $createParents
    }

    $written = 0
    if (-not ($existed -and (Test-FileRegion -Path $path -Offset $offset -Content $content))) {
        if ($existed) {
            Clear-ReadOnlyAttribute -Path $path
        }
        Write-FileRegion -Path $path -Offset $offset -Content $content
        $written = $content.Length
    }
    $timeChanged = Set-FileTime -Path $path -Time $mtime

    $result = New-AgentMap
    $result['path'] = $path
    $result['changed'] = (-not $existed) -or $written -gt 0 -or $timeChanged
    $result['created'] = -not $existed
    $result['size'] = [long](New-Object -TypeName System.IO.FileInfo -ArgumentList $path).Length
    $result['written'] = [long]$written
    $result['sha256'] = $null
    if ($null -ne $expected) {
        $actual = Get-FileSha256 -Path $path
        if ($actual -ne $expected) {
            throw (New-ChecksumException -Path $path -Expected $expected -Actual $actual)
        }
        $result['sha256'] = $actual
    }
    return , $result
}

function Save-FileBackup {
    # Copies Path to Backup once; an existing backup with other content is never overwritten.
    param(
        [string]$Path,
        [string]$Backup,
        [bool]$CreateParents
    )
    Assert-NotDirectory -Path $Backup -Name 'backup'
    $entry = New-AgentMap
    $entry['path'] = $Backup
    $entry['sha256'] = Get-FileSha256 -Path $Path
    $entry['created'] = $false
    if ([System.IO.File]::Exists($Backup)) {
        if ((Get-FileSha256 -Path $Backup) -ne $entry['sha256']) {
            $message = "the backup '$Backup' already holds other content"
            throw (New-AgentException -Kind 'already_exists' -Code 80 -Message $message)
        }
        return , $entry
    }
    New-ParentDirectory -Path $Backup -Create $CreateParents
    [System.IO.File]::Copy($Path, $Backup, $false)
    $copied = Get-FileSha256 -Path $Backup
    if ($copied -ne $entry['sha256']) {
        throw (New-ChecksumException -Path $Backup -Expected $entry['sha256'] -Actual $copied)
    }
    $entry['created'] = $true
    return , $entry
}

function Invoke-FileCopy {
    param([System.Collections.IDictionary]$Arguments)
    $source = Get-AgentPathArgument -Arguments $Arguments -Name 'src'
    $destination = Get-AgentPathArgument -Arguments $Arguments -Name 'dest'
    $backup = Get-AgentPathArgument -Arguments $Arguments -Name 'backup' -Optional
    $overwrite = Get-AgentArgument -Arguments $Arguments -Name 'overwrite' -Type 'bool' -Default $true
    $createParents = Get-AgentArgument -Arguments $Arguments -Name 'create_parents' -Type 'bool' -Default $true
    $verify = Get-AgentArgument -Arguments $Arguments -Name 'verify' -Type 'bool' -Default $true
    Assert-NotDirectory -Path $source -Name 'src'
    if (-not [System.IO.File]::Exists($source)) {
        throw (New-AgentException -Kind 'not_found' -Code 2 -Message "the file '$source' does not exist")
    }
    Assert-NotDirectory -Path $destination -Name 'dest'

    $result = New-AgentMap
    $result['src'] = $source
    $result['dest'] = $destination
    $result['changed'] = $false
    $result['size'] = [long](New-Object -TypeName System.IO.FileInfo -ArgumentList $source).Length
    $result['sha256'] = $null
    $result['backup'] = $null
    if ([System.IO.File]::Exists($destination)) {
        $result['sha256'] = Get-FileSha256 -Path $source
        $destinationSize = (New-Object -TypeName System.IO.FileInfo -ArgumentList $destination).Length
        if ($destinationSize -eq $result['size'] -and (Get-FileSha256 -Path $destination) -eq $result['sha256']) {
            return , $result
        }
        if (-not $overwrite) {
            $message = "'$destination' exists with other content and overwrite is false"
            throw (New-AgentException -Kind 'already_exists' -Code 80 -Message $message)
        }
        if ($null -ne $backup) {
            $result['backup'] = Save-FileBackup -Path $destination -Backup $backup -CreateParents $createParents
        }
        Clear-ReadOnlyAttribute -Path $destination -Hidden
    }
    else {
        New-ParentDirectory -Path $destination -Create $createParents
        if ($verify) {
            $result['sha256'] = Get-FileSha256 -Path $source
        }
    }
    [System.IO.File]::Copy($source, $destination, $true)
    $result['changed'] = $true
    if ($verify) {
        $copied = Get-FileSha256 -Path $destination
        if ($copied -ne $result['sha256']) {
            throw (New-ChecksumException -Path $destination -Expected $result['sha256'] -Actual $copied)
        }
    }
    return , $result
}

function Test-ReparsePoint {
    param([System.IO.FileSystemInfo]$Item)
    return (([int]$Item.Attributes -band [int][System.IO.FileAttributes]::ReparsePoint) -ne 0)
}

function Remove-AgentDirectory {
    # Depth-first; junctions and symbolic links are removed as links, their targets never entered.
    param(
        [System.IO.DirectoryInfo]$Directory,
        [System.Collections.IDictionary]$Counts
    )
    if (-not (Test-ReparsePoint -Item $Directory)) {
        foreach ($child in $Directory.GetDirectories()) {
            Remove-AgentDirectory -Directory $child -Counts $Counts
        }
        foreach ($file in $Directory.GetFiles()) {
            Clear-ReadOnlyAttribute -Path $file.FullName
            [System.IO.File]::Delete($file.FullName)
            $Counts['files'] = $Counts['files'] + 1
        }
    }
    $readOnly = [int][System.IO.FileAttributes]::ReadOnly
    if (([int]$Directory.Attributes -band $readOnly) -ne 0) {
        $Directory.Attributes = [System.IO.FileAttributes]([int]$Directory.Attributes -band (-bnot $readOnly))
    }
    [System.IO.Directory]::Delete($Directory.FullName, $false)
    $Counts['directories'] = $Counts['directories'] + 1
}

function Test-RootPath {
    param([string]$Path)
    return ($Path -match '^[A-Za-z]:[\\/]*\z' -or $Path -match '^[\\/]{2}[^\\/]+[\\/]+[^\\/]+[\\/]*\z')
}

function Invoke-FileDelete {
    param([System.Collections.IDictionary]$Arguments)
    $path = Get-AgentPathArgument -Arguments $Arguments -Name 'path'
    $recurse = Get-AgentArgument -Arguments $Arguments -Name 'recurse' -Type 'bool' -Default $false
    $mustExist = Get-AgentArgument -Arguments $Arguments -Name 'must_exist' -Type 'bool' -Default $false
    if (Test-RootPath -Path $path) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'a drive or share root is never deleted')
    }
    $counts = @{ files = 0; directories = 0 }
    $result = New-AgentMap
    $result['path'] = $path
    $result['changed'] = $false
    $result['existed'] = $true
    $result['type'] = $null
    if ([System.IO.Directory]::Exists($path)) {
        $result['type'] = 'directory'
        $directory = New-Object -TypeName System.IO.DirectoryInfo -ArgumentList $path
        if (-not $recurse -and -not (Test-ReparsePoint -Item $directory) -and
            [System.IO.Directory]::GetFileSystemEntries($path).Length -gt 0) {
            throw (New-AgentException -Kind 'not_empty' -Code 145 -Message "the directory '$path' is not empty")
        }
        Remove-AgentDirectory -Directory $directory -Counts $counts
    }
    elseif ([System.IO.File]::Exists($path)) {
        $result['type'] = 'file'
        Clear-ReadOnlyAttribute -Path $path
        [System.IO.File]::Delete($path)
        $counts['files'] = 1
    }
    elseif ($mustExist) {
        throw (New-AgentException -Kind 'not_found' -Code 2 -Message "'$path' does not exist")
    }
    else {
        $result['existed'] = $false
    }
    $result['changed'] = $result['existed']
    $result['files_deleted'] = [long]$counts['files']
    $result['directories_deleted'] = [long]$counts['directories']
    return , $result
}

function Invoke-DirCreate {
    param([System.Collections.IDictionary]$Arguments)
    $path = Get-AgentPathArgument -Arguments $Arguments -Name 'path'
    if ([System.IO.File]::Exists($path)) {
        throw (New-AgentException -Kind 'already_exists' -Code 183 -Message "a file named '$path' exists")
    }
    $result = New-AgentMap
    $result['path'] = $path
    $result['changed'] = -not [System.IO.Directory]::Exists($path)
    if ($result['changed']) {
        New-AgentDirectory -Path $path
    }
    return , $result
}
