# win-primitive-agent: registry.read and registry.write (in the agent process's registry view).
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.

$AgentOperations['registry.read'] = 'Invoke-RegistryRead'
$AgentOperations['registry.write'] = 'Invoke-RegistryWrite'

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
    # closing the returned key never closes a shared hive object. -Create makes missing keys.
    param(
        [string]$Path,
        [switch]$Writable,
        [switch]$Create
    )
    $separator = $Path.IndexOf('\')
    $subPath = ''
    if ($separator -gt 0) {
        $subPath = $Path.Substring($separator + 1).Trim([char[]]'\')
    }
    if ($subPath.Length -eq 0) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'registry path must name a key below a hive, e.g. HKLM\SOFTWARE')
    }
    $hive = Get-RegistryHive -Name $Path.Substring(0, $separator)
    if ($Create) {
        return $hive.CreateSubKey($subPath)
    }
    return $hive.OpenSubKey($subPath, [bool]$Writable)
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
# registry.write
# ---------------------------------------------------------------------------------------------

function ConvertFrom-HexString {
    param([string]$Text)
    if ($Text.Length % 2 -ne 0 -or $Text -notmatch '^[0-9A-Fa-f]*\z') {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'a REG_BINARY value must be hex digits, two per byte')
    }
    $bytes = New-Object -TypeName byte[] -ArgumentList ($Text.Length / 2)
    for ($index = 0; $index -lt $bytes.Length; $index++) {
        $bytes[$index] = [System.Convert]::ToByte($Text.Substring(2 * $index, 2), 16)
    }
    return , $bytes
}

function New-RegistryValueException {
    param([string]$Type)
    return (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument 'value' does not fit type $Type")
}

function ConvertTo-RegistryData {
    # The value as .NET writes it (Data, Kind) and as registry.read reports it (Entry), for comparison.
    param(
        [string]$Type,
        $Value
    )
    $entry = New-AgentMap
    $entry['type'] = $Type
    $entry['value'] = $Value
    $data = @{ Entry = $entry }
    switch -CaseSensitive ($Type) {
        'REG_SZ' {
            if ($Value -isnot [string]) { throw (New-RegistryValueException -Type $Type) }
            $data.Kind = [Microsoft.Win32.RegistryValueKind]::String
            $data.Data = $Value
        }
        'REG_EXPAND_SZ' {
            if ($Value -isnot [string]) { throw (New-RegistryValueException -Type $Type) }
            $data.Kind = [Microsoft.Win32.RegistryValueKind]::ExpandString
            $data.Data = $Value
        }
        'REG_MULTI_SZ' {
            if ($Value -isnot [System.Collections.IList]) { throw (New-RegistryValueException -Type $Type) }
            foreach ($item in $Value) {
                if ($item -isnot [string]) { throw (New-RegistryValueException -Type $Type) }
            }
            $data.Kind = [Microsoft.Win32.RegistryValueKind]::MultiString
            $data.Data = [string[]]@($Value)
        }
        'REG_DWORD' {
            if (-not ($Value -is [long] -or $Value -is [int]) -or $Value -lt 0 -or $Value -gt 4294967295) {
                throw (New-RegistryValueException -Type $Type)
            }
            # .NET takes DWORDs as signed 32-bit integers; the bits are what matters.
            $data.Kind = [Microsoft.Win32.RegistryValueKind]::DWord
            $data.Data = [System.BitConverter]::ToInt32([System.BitConverter]::GetBytes([uint32]$Value), 0)
        }
        'REG_QWORD' {
            if (-not ($Value -is [long] -or $Value -is [int]) -or $Value -lt 0) {
                throw (New-RegistryValueException -Type $Type)
            }
            $data.Kind = [Microsoft.Win32.RegistryValueKind]::QWord
            $data.Data = [long]$Value
        }
        'REG_BINARY' {
            if ($Value -isnot [string]) { throw (New-RegistryValueException -Type $Type) }
            $data.Kind = [Microsoft.Win32.RegistryValueKind]::Binary
            $data.Data = ConvertFrom-HexString -Text $Value
            $entry['value'] = $Value.ToLowerInvariant()
        }
        default {
            $message = "argument 'type' must be REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ, REG_DWORD, REG_QWORD or REG_BINARY"
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message $message)
        }
    }
    return , $data
}

function Test-RegistryEntryEqual {
    param(
        $Existing,
        [System.Collections.IDictionary]$Wanted
    )
    if ($null -eq $Existing -or $Existing['type'] -cne $Wanted['type']) {
        return $false
    }
    if ($Wanted['type'] -eq 'REG_MULTI_SZ') {
        $left = @($Existing['value'])
        $right = @($Wanted['value'])
        if ($left.Count -ne $right.Count) {
            return $false
        }
        for ($index = 0; $index -lt $left.Count; $index++) {
            if ([string]$left[$index] -cne [string]$right[$index]) {
                return $false
            }
        }
        return $true
    }
    if ($Wanted['type'] -eq 'REG_DWORD' -or $Wanted['type'] -eq 'REG_QWORD') {
        return ([uint64]$Existing['value'] -eq [uint64]$Wanted['value'])
    }
    return ([string]$Existing['value'] -ceq [string]$Wanted['value'])
}

function Invoke-RegistryWrite {
    param([System.Collections.IDictionary]$Arguments)
    $path = Get-AgentArgument -Arguments $Arguments -Name 'path' -Type 'string' -Required
    $name = Get-AgentArgument -Arguments $Arguments -Name 'name' -Type 'string' -Required
    $state = Get-AgentArgument -Arguments $Arguments -Name 'state' -Type 'string' -Default 'present'
    $createKey = Get-AgentArgument -Arguments $Arguments -Name 'create_key' -Type 'bool' -Default $true
    if ($state -cne 'present' -and $state -cne 'absent') {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument 'state' must be present or absent")
    }
    $result = New-AgentMap
    $result['path'] = $path
    $result['name'] = $name
    $result['changed'] = $false
    $result['previous'] = $null
    if ($state -eq 'absent') {
        $key = Open-RegistryKey -Path $path -Writable
        if ($null -eq $key) {
            return , $result
        }
        try {
            $result['previous'] = Get-RegistryValueEntry -Key $key -Name $name
            if ($null -ne $result['previous']) {
                $key.DeleteValue($name)
                $result['changed'] = $true
            }
        }
        finally {
            $key.Close()
        }
        return , $result
    }
    $type = Get-AgentArgument -Arguments $Arguments -Name 'type' -Type 'string' -Required
    if ($null -eq $Arguments['value']) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "argument 'value' is required")
    }
    $wanted = ConvertTo-RegistryData -Type $type -Value $Arguments['value']
    $key = Open-RegistryKey -Path $path -Writable -Create:$createKey
    if ($null -eq $key) {
        throw (New-AgentException -Kind 'not_found' -Code 2 -Message "registry key '$path' does not exist")
    }
    try {
        $result['previous'] = Get-RegistryValueEntry -Key $key -Name $name
        if (-not (Test-RegistryEntryEqual -Existing $result['previous'] -Wanted $wanted.Entry)) {
            $key.SetValue($name, $wanted.Data, $wanted.Kind)
            $result['changed'] = $true
        }
    }
    finally {
        $key.Close()
    }
    return , $result
}
