# win-primitive-agent: event.query.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.

$AgentOperations['event.query'] = 'Invoke-EventQuery'

# ---------------------------------------------------------------------------------------------
# event.query (classic event log API: present since .NET 1.0, works on every target)
# ---------------------------------------------------------------------------------------------

function Get-EventTypeName {
    param([string]$EntryType)
    $names = @{
        Error = 'error'
        Warning = 'warning'
        Information = 'information'
        SuccessAudit = 'success_audit'
        FailureAudit = 'failure_audit'
    }
    if ($names.ContainsKey($EntryType)) {
        return $names[$EntryType]
    }
    return 'unknown'
}

function ConvertTo-EventRecord {
    param(
        [System.Diagnostics.EventLogEntry]$Entry,
        [bool]$WithMessage
    )
    $record = New-AgentMap
    $record['record'] = [long]$Entry.Index
    $record['time'] = Format-AgentTime -Time $Entry.TimeGenerated
    $record['source'] = $Entry.Source
    $record['event_id'] = [long]($Entry.InstanceId -band 0xFFFF)
    $record['instance_id'] = [long]$Entry.InstanceId
    $record['type'] = Get-EventTypeName -EntryType $Entry.EntryType.ToString()
    $record['insertion_strings'] = New-AgentStringList -Items $Entry.ReplacementStrings
    $record['message'] = $null
    if ($WithMessage) {
        try {
            $record['message'] = $Entry.Message
        }
        catch {
            $record['message'] = $null
        }
    }
    return , $record
}

function Invoke-EventQuery {
    param([System.Collections.IDictionary]$Arguments)
    $logName = Get-AgentArgument -Arguments $Arguments -Name 'log' -Type 'string' -Required
    $sources = Get-AgentArgument -Arguments $Arguments -Name 'sources' -Type 'string[]'
    $eventIds = Get-AgentArgument -Arguments $Arguments -Name 'event_ids' -Type 'int[]'
    $newest = Get-AgentIntegerArgument -Arguments $Arguments -Name 'newest' -Default 50 -Minimum 1 -Maximum 10000
    $maxScan = Get-AgentIntegerArgument -Arguments $Arguments -Name 'max_scan' -Default 10000 -Minimum 1 -Maximum 1000000
    $withMessage = Get-AgentArgument -Arguments $Arguments -Name 'message' -Type 'bool' -Default $true
    $since = Get-AgentTimeArgument -Arguments $Arguments -Name 'since'

    $result = New-AgentMap
    $result['log'] = $logName
    if (-not [System.Diagnostics.EventLog]::Exists($logName)) {
        $result['exists'] = $false
        return , $result
    }
    $events = New-AgentList
    $scanned = 0
    $complete = $true
    $log = New-Object -TypeName System.Diagnostics.EventLog -ArgumentList $logName
    try {
        $entries = $log.Entries
        $index = $entries.Count - 1
        # Newest entries are last; walk backwards until enough matches, the time limit or the scan limit.
        while ($index -ge 0 -and $events.Count -lt $newest) {
            if ($scanned -ge $maxScan) {
                $complete = $false
                break
            }
            $entry = $null
            try {
                $entry = $entries[$index]
            }
            catch {
                # The log was cleared or wrapped while it was read: report what was seen.
                $complete = $false
                break
            }
            $index--
            $scanned++
            if ($null -ne $since -and $entry.TimeGenerated.ToUniversalTime() -lt $since) {
                break
            }
            if ($null -ne $eventIds -and -not ($eventIds -contains ($entry.InstanceId -band 0xFFFF))) {
                continue
            }
            if ($null -ne $sources -and -not ($sources -contains $entry.Source)) {
                continue
            }
            [void]$events.Add((ConvertTo-EventRecord -Entry $entry -WithMessage $withMessage))
        }
    }
    finally {
        $log.Dispose()
    }
    $result['exists'] = $true
    $result['scanned'] = $scanned
    $result['complete'] = $complete
    $result['events'] = $events
    return , $result
}
