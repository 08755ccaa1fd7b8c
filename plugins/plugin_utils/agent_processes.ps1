# win-primitive-agent: process.start and process.poll.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.
#
# A program started from the WinRM shell dies with the shell. WMI's Win32_Process.Create starts
# the fixed launcher (agent_launcher.ps1, embedded below by the client) outside any shell; the
# launcher starts the program and records its pid, start, exit code and end in a job directory
# under the state root, which process.poll reads. Request values reach the launcher only as the
# base64 lines of its job file, and the program only as its quoted command line.

$AgentOperations['process.start'] = 'Invoke-ProcessStart'
$AgentOperations['process.poll'] = 'Invoke-ProcessPoll'

$AgentLauncher = 'AGENT_LAUNCHER_BASE64'
$LauncherTimeoutSeconds = 60

function ConvertTo-CommandLineArgument {
    # Quotes one argument so that CommandLineToArgvW (and the C runtime) reads it back unchanged.
    param([string]$Argument)
    $special = [char[]]@([char]32, [char]9, [char]10, [char]11, [char]34)
    if ($Argument.Length -gt 0 -and $Argument.IndexOfAny($special) -lt 0) {
        return $Argument
    }
    $builder = New-Object -TypeName System.Text.StringBuilder
    [void]$builder.Append([char]34)
    $backslashes = 0
    foreach ($ch in $Argument.ToCharArray()) {
        if ($ch -eq [char]92) {
            $backslashes = $backslashes + 1
            continue
        }
        if ($ch -eq [char]34) {
            [void]$builder.Append([char]92, 2 * $backslashes + 1)
        }
        else {
            [void]$builder.Append([char]92, $backslashes)
        }
        $backslashes = 0
        [void]$builder.Append($ch)
    }
    [void]$builder.Append([char]92, 2 * $backslashes)
    [void]$builder.Append([char]34)
    return $builder.ToString()
}

function ConvertTo-ArgumentString {
    param($Arguments)
    $quoted = New-AgentList
    foreach ($argument in $Arguments) {
        [void]$quoted.Add((ConvertTo-CommandLineArgument -Argument $argument))
    }
    return [string]::Join(' ', [string[]]$quoted.ToArray())
}

function ConvertTo-Base64Line {
    param([string]$Text)
    return [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Text))
}

function Read-JobFile {
    # The lines of a job record, or $null when the launcher has not written it (yet).
    param([string]$Path)
    if (-not [System.IO.File]::Exists($Path)) {
        return $null
    }
    return , ([System.IO.File]::ReadAllLines($Path))
}

function Get-WmiCreateError {
    # Win32_Process.Create answers with its own return values; mapped to the nearest Win32 code.
    param([int]$ReturnValue)
    $codes = @{ 2 = 5; 3 = 5; 9 = 3; 21 = 87 }
    $code = $null
    if ($codes.ContainsKey($ReturnValue)) {
        $code = $codes[$ReturnValue]
    }
    $message = "Win32_Process.Create could not start the launcher (return value $ReturnValue)"
    return (New-AgentException -Kind (Get-ErrorKind -Code $code) -Code $code -Message $message)
}

function Start-ProcessLauncher {
    # Returns the launcher's process id.
    param([string]$JobDirectory)
    Add-Type -AssemblyName System.Management
    $powershell = $PSHOME + '\powershell.exe'
    $commandLine = '"' + $powershell + '" -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand ' + $AgentLauncher
    $startup = (New-Object -TypeName System.Management.ManagementClass -ArgumentList 'Win32_ProcessStartup').CreateInstance()
    $startup['ShowWindow'] = [uint16]0
    $processClass = New-Object -TypeName System.Management.ManagementClass -ArgumentList 'Win32_Process'
    $parameters = $processClass.GetMethodParameters('Create')
    $parameters['CommandLine'] = $commandLine
    $parameters['CurrentDirectory'] = $JobDirectory
    $parameters['ProcessStartupInformation'] = $startup
    $outcome = $processClass.InvokeMethod('Create', $parameters, $null)
    $returnValue = [int]$outcome['ReturnValue']
    if ($returnValue -ne 0) {
        throw (Get-WmiCreateError -ReturnValue $returnValue)
    }
    return [long]$outcome['ProcessId']
}

function Wait-ProcessLauncher {
    # The launcher's report: the lines of started.txt, or the error failed.txt describes.
    param(
        [string]$JobDirectory,
        [long]$LauncherId
    )
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        $started = Read-JobFile -Path ($JobDirectory + '\started.txt')
        if ($null -ne $started) {
            return , $started
        }
        $failed = Read-JobFile -Path ($JobDirectory + '\failed.txt')
        if ($null -ne $failed) {
            $code = [int]$failed[0]
            $message = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($failed[1]))
            throw (New-AgentException -Kind (Get-ErrorKind -Code $code) -Code $code -Message $message)
        }
        if ($clock.Elapsed.TotalSeconds -ge $LauncherTimeoutSeconds) {
            $message = "the launcher (process $LauncherId) did not report within $LauncherTimeoutSeconds seconds"
            throw (New-AgentException -Kind 'timeout' -Code 1460 -Message $message)
        }
        Start-Sleep -Milliseconds 200
    }
}

function Invoke-ProcessStart {
    param([System.Collections.IDictionary]$Arguments)
    $executable = Get-AgentPathArgument -Arguments $Arguments -Name 'executable'
    $programArguments = Get-AgentArgument -Arguments $Arguments -Name 'arguments' -Type 'string[]' -Default (New-AgentList)
    $workingDirectory = Get-AgentPathArgument -Arguments $Arguments -Name 'working_directory' -Optional
    Assert-NotDirectory -Path $executable -Name 'executable'
    if (-not [System.IO.File]::Exists($executable)) {
        throw (New-AgentException -Kind 'not_found' -Code 2 -Message "the program '$executable' does not exist")
    }
    if ($null -eq $workingDirectory) {
        $workingDirectory = [System.IO.Path]::GetDirectoryName($executable)
    }
    elseif (-not [System.IO.Directory]::Exists($workingDirectory)) {
        throw (New-AgentException -Kind 'not_found' -Code 3 -Message "the directory '$workingDirectory' does not exist")
    }
    $argumentString = ConvertTo-ArgumentString -Arguments $programArguments
    $commandLine = '"' + $executable + '"'
    if ($argumentString.Length -gt 0) {
        $commandLine = $commandLine + ' ' + $argumentString
    }

    $jobDirectory = (Get-AgentStateDirectory -Area 'process' -Create) + '\' + [System.Guid]::NewGuid().ToString('N')
    [void][System.IO.Directory]::CreateDirectory($jobDirectory)
    $job = @((ConvertTo-Base64Line -Text $executable), (ConvertTo-Base64Line -Text $workingDirectory),
        (ConvertTo-Base64Line -Text $argumentString))
    [System.IO.File]::WriteAllText($jobDirectory + '\job.txt', [string]::Join("`r`n", $job) + "`r`n", [System.Text.Encoding]::ASCII)
    $launcherId = Start-ProcessLauncher -JobDirectory $jobDirectory
    $started = Wait-ProcessLauncher -JobDirectory $jobDirectory -LauncherId $launcherId

    $result = New-AgentMap
    $result['pid'] = [long]$started[0]
    $result['start_time'] = $started[1]
    $result['executable'] = $executable
    $result['working_directory'] = $workingDirectory
    $result['command_line'] = $commandLine
    return , $result
}

function Find-ProcessJob {
    # The job directory process.start made for this pid (and start time), or $null.
    param(
        [long]$ProcessId,
        $StartTime
    )
    $processDirectory = Get-AgentStateDirectory -Area 'process'
    $index = Read-JobFile -Path ($processDirectory + '\pid-' + $ProcessId.ToString($Invariant) + '.txt')
    if ($null -eq $index -or $index.Length -eq 0 -or $index[0] -notmatch '^[0-9a-f]{32}\z') {
        return $null
    }
    $jobDirectory = $processDirectory + '\' + $index[0]
    $started = Read-JobFile -Path ($jobDirectory + '\started.txt')
    if ($null -eq $started -or $started.Length -lt 2) {
        return $null
    }
    if ($null -ne $StartTime -and $started[1] -ne (Format-AgentTime -Time $StartTime)) {
        return $null
    }
    $job = @{ Directory = $jobDirectory; StartTime = $started[1] }
    return , $job
}

function Get-LiveProcess {
    # The running process with this id (and start time, as a protocol time string), or $null.
    param(
        [long]$ProcessId,
        $StartText
    )
    if ($ProcessId -gt [int]::MaxValue) {
        return $null
    }
    try {
        $process = [System.Diagnostics.Process]::GetProcessById([int]$ProcessId)
    }
    catch {
        return $null
    }
    try {
        if ($process.HasExited) {
            return $null
        }
        if ($null -ne $StartText -and (Format-AgentTime -Time $process.StartTime) -ne $StartText) {
            return $null
        }
    }
    catch {
        # Processes of other accounts cannot be opened: it runs, but a start time asked for cannot be
        # confirmed, and the agent's own programs (same account) always can: so it is not that process.
        if ($null -ne $StartText) {
            return $null
        }
        return $process
    }
    return $process
}

function Invoke-ProcessPoll {
    param([System.Collections.IDictionary]$Arguments)
    $processId = Get-AgentIntegerArgument -Arguments $Arguments -Name 'pid' -Default 0 -Minimum 1 -Maximum 4294967295 -Required
    $startTime = Get-AgentTimeArgument -Arguments $Arguments -Name 'start_time'
    $waitSeconds = Get-AgentIntegerArgument -Arguments $Arguments -Name 'wait_seconds' -Default 0 -Minimum 0 -Maximum 600
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $job = Find-ProcessJob -ProcessId $processId -StartTime $startTime
    # Process ids are reused: a live process only counts when its start time matches.
    $startText = $null
    if ($null -ne $job) {
        $startText = $job.StartTime
    }
    elseif ($null -ne $startTime) {
        $startText = Format-AgentTime -Time $startTime
    }
    $exit = $null
    $goneSince = $null
    while ($true) {
        if ($null -ne $job) {
            $exit = Read-JobFile -Path ($job.Directory + '\exit.txt')
        }
        $live = $null
        if ($null -eq $exit) {
            $live = Get-LiveProcess -ProcessId $processId -StartText $startText
        }
        if ($null -ne $exit -or ($null -eq $job -and $null -eq $live)) {
            break
        }
        if ($null -eq $live) {
            # The launcher writes exit.txt right after the program ends: allow it a few seconds.
            if ($null -eq $goneSince) {
                $goneSince = $clock.Elapsed.TotalSeconds
            }
            if ($clock.Elapsed.TotalSeconds - $goneSince -ge 5) {
                break
            }
        }
        elseif ($clock.Elapsed.TotalSeconds -ge $waitSeconds) {
            break
        }
        Start-Sleep -Milliseconds 500
    }

    $result = New-AgentMap
    $result['pid'] = $processId
    if ($null -eq $job -and $null -eq $live) {
        $result['exists'] = $false
        return , $result
    }
    $result['exists'] = $true
    $result['state'] = 'exited'
    $result['start_time'] = $null
    $result['end_time'] = $null
    $result['exit_code'] = $null
    if ($null -ne $job) {
        $result['start_time'] = $job.StartTime
    }
    if ($null -ne $exit) {
        $result['exit_code'] = [long]$exit[0]
        $result['end_time'] = $exit[1]
    }
    elseif ($null -ne $live) {
        $result['state'] = 'running'
        if ($null -eq $result['start_time']) {
            try {
                $result['start_time'] = Format-AgentTime -Time $live.StartTime
            }
            catch {
                $result['start_time'] = $null
            }
        }
    }
    return , $result
}
