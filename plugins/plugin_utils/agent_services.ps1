# win-primitive-agent: service.query, service.start and service.stop.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.

$AgentOperations['service.query'] = 'Invoke-ServiceQuery'

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

function Get-ServiceNameArgument {
    param([System.Collections.IDictionary]$Arguments)
    $name = Get-AgentArgument -Arguments $Arguments -Name 'name' -Type 'string' -Required
    if ($name.Length -eq 0 -or $name.Length -gt 256 -or $name.IndexOfAny([char[]]'\/') -ge 0) {
        throw (New-AgentException -Kind 'invalid_argument' -Code 123 -Message 'service name must be 1-256 characters without \ or /')
    }
    return $name
}

function Add-ServiceExitInformation {
    # Exit codes and the process id as WMI reports them (null members when WMI is unavailable).
    param(
        [System.Collections.IDictionary]$Result,
        [string]$ServiceName
    )
    $wmi = Get-WmiServiceTable
    $Result['exit_code'] = $null
    $Result['service_specific_exit_code'] = $null
    $Result['process_id'] = $null
    $Result['wmi_error'] = $AgentState.WmiError
    if ($wmi.ContainsKey($ServiceName)) {
        $item = $wmi[$ServiceName]
        $Result['exit_code'] = [long]$item.GetPropertyValue('ExitCode')
        $Result['service_specific_exit_code'] = [long]$item.GetPropertyValue('ServiceSpecificExitCode')
        $Result['process_id'] = [long]$item.GetPropertyValue('ProcessId')
    }
}

function Invoke-ServiceQuery {
    param([System.Collections.IDictionary]$Arguments)
    $name = Get-ServiceNameArgument -Arguments $Arguments
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
    Add-ServiceExitInformation -Result $result -ServiceName $serviceName
    return , $result
}
