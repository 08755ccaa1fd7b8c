# win-primitive-agent: system.info.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.

$AgentOperations['system.info'] = 'Invoke-SystemInfo'

# ---------------------------------------------------------------------------------------------
# system.info
# ---------------------------------------------------------------------------------------------

function Get-PowerShellVersion {
    # $PSVersionTable is there from 2.0 on; PowerShell 1.0 cannot parse this script (try/catch came in 2.0).
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
