# win-primitive-agent: file.stat, file.tree and the file helpers the write operations share.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.

$AgentOperations['file.stat'] = 'Invoke-FileStat'
$AgentOperations['file.tree'] = 'Invoke-FileTree'

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
