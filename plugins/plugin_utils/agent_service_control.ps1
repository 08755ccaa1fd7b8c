# win-primitive-agent: service.start and service.stop.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.
#
# A service that refuses a control request is an answer (its Win32 code in the value), not an
# operation error: the controller decides what a refusal means. Access denied is an error.

$AgentOperations['service.start'] = 'Invoke-ServiceStart'
$AgentOperations['service.stop'] = 'Invoke-ServiceStop'

function Get-ExistingServiceController {
    param([string]$Name)
    $controller = Find-ServiceController -Name $Name
    if ($null -eq $controller) {
        throw (New-AgentException -Kind 'not_found' -Code 1060 -Message "service '$Name' does not exist")
    }
    return $controller
}

function Get-ServiceStatusText {
    param([System.ServiceProcess.ServiceController]$Controller)
    $Controller.Refresh()
    return $Controller.Status.ToString()
}

function Test-ServicePending {
    param([string]$Status)
    return $Status.EndsWith('Pending')
}

function Wait-ServiceSettled {
    # Polls a few times a second until the service leaves the pending states or the deadline passes.
    param(
        [System.ServiceProcess.ServiceController]$Controller,
        [System.Diagnostics.Stopwatch]$Clock,
        [long]$TimeoutSeconds
    )
    while ($true) {
        if (-not (Test-ServicePending -Status (Get-ServiceStatusText -Controller $Controller))) {
            return $true
        }
        if ($Clock.Elapsed.TotalSeconds -ge $TimeoutSeconds) {
            return $false
        }
        Start-Sleep -Milliseconds 250
    }
}

function New-ServiceControlResult {
    param([System.ServiceProcess.ServiceController]$Controller)
    $result = New-AgentMap
    $result['name'] = $Controller.ServiceName
    $result['changed'] = $false
    $result['previous_state'] = Get-ServiceStateName -Status (Get-ServiceStatusText -Controller $Controller)
    $result['state'] = $result['previous_state']
    $result['timed_out'] = $false
    $result['win32_error'] = $null
    $result['win32_message'] = $null
    return , $result
}

function Complete-ServiceControlResult {
    param(
        [System.ServiceProcess.ServiceController]$Controller,
        [System.Collections.IDictionary]$Result
    )
    $status = Get-ServiceStatusText -Controller $Controller
    $Result['state'] = Get-ServiceStateName -Status $status
    $Result['timed_out'] = $Result['timed_out'] -or (Test-ServicePending -Status $status)
    Add-ServiceExitInformation -Result $Result -ServiceName $Controller.ServiceName
    return , $Result
}

function Invoke-ServiceControl {
    # Returns $true when the service control manager accepted the request.
    param(
        [System.ServiceProcess.ServiceController]$Controller,
        [string]$Action,
        [System.Collections.IDictionary]$Result
    )
    try {
        if ($Action -eq 'start') {
            $Controller.Start()
        }
        elseif ($Action -eq 'continue') {
            $Controller.Continue()
        }
        else {
            $Controller.Stop()
        }
    }
    catch {
        $exception = $_.Exception
        while (Test-WrapperException -Exception $exception) {
            $exception = $exception.InnerException
        }
        $code = Get-Win32ErrorCode -Exception $exception
        if ($null -eq $code -or $code -eq 5) {
            throw
        }
        if ($exception.InnerException -is [System.ComponentModel.Win32Exception]) {
            $exception = $exception.InnerException
        }
        $Result['win32_error'] = $code
        $Result['win32_message'] = $exception.Message
        return $false
    }
    # What WMI read earlier in this batch is stale now.
    $AgentState.WmiServices = $null
    $AgentState.WmiError = $null
    $Result['changed'] = $true
    return $true
}

function Invoke-ServiceStart {
    param([System.Collections.IDictionary]$Arguments)
    $name = Get-ServiceNameArgument -Arguments $Arguments
    $timeout = Get-AgentIntegerArgument -Arguments $Arguments -Name 'timeout_seconds' -Default 60 -Minimum 0 -Maximum 3600
    $controller = Get-ExistingServiceController -Name $name
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $result = New-ServiceControlResult -Controller $controller
    if (Wait-ServiceSettled -Controller $controller -Clock $clock -TimeoutSeconds $timeout) {
        $status = Get-ServiceStatusText -Controller $controller
        $action = $null
        if ($status -eq 'Stopped') {
            $action = 'start'
        }
        elseif ($status -eq 'Paused') {
            $action = 'continue'
        }
        if ($null -ne $action -and (Invoke-ServiceControl -Controller $controller -Action $action -Result $result)) {
            [void](Wait-ServiceSettled -Controller $controller -Clock $clock -TimeoutSeconds $timeout)
        }
    }
    return , (Complete-ServiceControlResult -Controller $controller -Result $result)
}

function Get-RunningDependentNames {
    param([System.ServiceProcess.ServiceController]$Controller)
    $names = New-AgentList
    foreach ($dependent in $Controller.DependentServices) {
        if ((Get-ServiceStatusText -Controller $dependent) -ne 'Stopped') {
            [void]$names.Add($dependent.ServiceName)
        }
    }
    return , $names
}

function Stop-ServiceDependents {
    # Deepest first: each dependent's own dependents are stopped before it. $false when one would not stop.
    param(
        [System.ServiceProcess.ServiceController]$Controller,
        [System.Collections.IDictionary]$Result,
        [System.Diagnostics.Stopwatch]$Clock,
        [long]$TimeoutSeconds
    )
    foreach ($dependent in $Controller.DependentServices) {
        if ((Get-ServiceStatusText -Controller $dependent) -eq 'Stopped') {
            continue
        }
        if (-not (Stop-ServiceDependents -Controller $dependent -Result $Result -Clock $Clock -TimeoutSeconds $TimeoutSeconds)) {
            return $false
        }
        if (-not (Wait-ServiceSettled -Controller $dependent -Clock $Clock -TimeoutSeconds $TimeoutSeconds)) {
            $Result['timed_out'] = $true
            return $false
        }
        if ((Get-ServiceStatusText -Controller $dependent) -eq 'Stopped') {
            continue
        }
        $attempt = New-AgentMap
        if (-not (Invoke-ServiceControl -Controller $dependent -Action 'stop' -Result $attempt)) {
            $Result['win32_error'] = $attempt['win32_error']
            $Result['win32_message'] = "dependent service '" + $dependent.ServiceName + "': " + $attempt['win32_message']
            return $false
        }
        $Result['changed'] = $true
        [void]$Result['stopped_dependents'].Add($dependent.ServiceName)
        if (-not (Wait-ServiceSettled -Controller $dependent -Clock $Clock -TimeoutSeconds $TimeoutSeconds)) {
            $Result['timed_out'] = $true
            return $false
        }
    }
    return $true
}

function Invoke-ServiceStop {
    param([System.Collections.IDictionary]$Arguments)
    $name = Get-ServiceNameArgument -Arguments $Arguments
    $timeout = Get-AgentIntegerArgument -Arguments $Arguments -Name 'timeout_seconds' -Default 60 -Minimum 0 -Maximum 3600
    $withDependents = Get-AgentArgument -Arguments $Arguments -Name 'dependents' -Type 'bool' -Default $false
    $controller = Get-ExistingServiceController -Name $name
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $result = New-ServiceControlResult -Controller $controller
    $result['stopped_dependents'] = New-AgentList
    if ((Wait-ServiceSettled -Controller $controller -Clock $clock -TimeoutSeconds $timeout) -and
        (Get-ServiceStatusText -Controller $controller) -ne 'Stopped') {
        $running = Get-RunningDependentNames -Controller $controller
        if ($running.Count -gt 0 -and -not $withDependents) {
            $result['win32_error'] = 1051
            $result['win32_message'] = 'services that depend on it are running: ' + [string]::Join(', ', [string[]]$running.ToArray())
        }
        elseif ((Stop-ServiceDependents -Controller $controller -Result $result -Clock $clock -TimeoutSeconds $timeout) -and
            (Invoke-ServiceControl -Controller $controller -Action 'stop' -Result $result)) {
            [void](Wait-ServiceSettled -Controller $controller -Clock $clock -TimeoutSeconds $timeout)
        }
    }
    return , (Complete-ServiceControlResult -Controller $controller -Result $result)
}
