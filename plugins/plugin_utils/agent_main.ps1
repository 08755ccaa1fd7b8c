# win-primitive-agent: request handling; runs the request read from the pipeline. Always the last part.
# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# One part of the agent script: agent_client.AGENT_PARTS joins the parts in order.

# ---------------------------------------------------------------------------------------------
# Request handling
# ---------------------------------------------------------------------------------------------

function Invoke-AgentOperation {
    # Runs one operation; whatever happens, answers with a result entry and never throws.
    param($Operation)
    $entry = New-AgentMap
    $entry['id'] = $null
    $entry['op'] = $null
    $opName = $null
    $storable = $false
    try {
        if ($Operation -isnot [System.Collections.IDictionary]) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'an operation must be a JSON object')
        }
        # id and op are echoed only when they are strings (protocol 3: null otherwise).
        $id = $Operation['id']
        $opValue = $Operation['op']
        if ($id -is [string]) {
            $entry['id'] = $id
        }
        if ($opValue -is [string]) {
            $opName = $opValue
            $entry['op'] = $opName
        }
        if ($id -isnot [string] -or -not $AgentIdPattern.IsMatch($id)) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'operation id must match [A-Za-z0-9_.:-]{1,128}')
        }
        if ($AgentState.Results.ContainsKey($id)) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message "operation id '$id' is used twice")
        }
        $storable = $true
        if ($null -eq $opName -or -not $AgentOperations.ContainsKey($opName)) {
            throw (New-AgentException -Kind 'unknown_operation' -Code 50 -Message "operation '$opValue' is not supported by this agent")
        }
        $opArguments = $Operation['args']
        if ($null -eq $opArguments) {
            $opArguments = @{}
        }
        if ($opArguments -isnot [System.Collections.IDictionary]) {
            throw (New-AgentException -Kind 'invalid_argument' -Code 87 -Message 'args must be a JSON object')
        }
        $resolved = Resolve-AgentArgumentSet -Arguments $opArguments
        $handler = $AgentOperations[$opName]
        $value = & $handler -Arguments $resolved
        $entry['ok'] = $true
        $entry['value'] = $value
    }
    catch {
        $entry['ok'] = $false
        $entry['error'] = ConvertTo-AgentError -ErrorRecord $_ -Operation $opName
    }
    if ($storable) {
        $AgentState.Results[$entry['id']] = $entry
    }
    return , $entry
}

function Get-AgentDescription {
    $operations = New-AgentStringList -Items $AgentOperations.Keys
    $operations.Sort()
    $description = New-AgentMap
    $description['name'] = $AgentState.Name
    $description['powershell_version'] = Get-PowerShellVersion
    $description['clr_version'] = [System.Environment]::Version.ToString()
    $description['operations'] = $operations
    $description['elapsed_ms'] = $null
    return , $description
}

function New-RequestFailure {
    param(
        [string]$Kind,
        $Code,
        [string]$Message
    )
    $failure = New-AgentMap
    $failure['op'] = $null
    $failure['kind'] = $Kind
    $failure['code'] = $Code
    $failure['message'] = $Message
    $failure['exception'] = $null
    return , $failure
}

function Invoke-AgentRequest {
    param([string]$RequestText)
    $results = New-AgentList
    $response = New-AgentMap
    $response['protocol'] = $AgentState.Protocol
    $response['ok'] = $false
    $response['agent'] = Get-AgentDescription
    $response['results'] = $results
    $response['error'] = $null
    try {
        $request = ConvertFrom-AgentJson -Text $RequestText
    }
    catch {
        $response['error'] = New-RequestFailure -Kind 'invalid_request' -Code 13 -Message $_.Exception.Message
        return , $response
    }
    if ($request -isnot [System.Collections.IDictionary]) {
        $response['error'] = New-RequestFailure -Kind 'invalid_request' -Code 13 -Message 'request must be a JSON object'
        return , $response
    }
    if (-not ($request['protocol'] -is [string] -and $request['protocol'] -ceq $AgentState.Protocol)) {
        $message = 'this agent speaks ' + $AgentState.Protocol + ' only'
        $response['error'] = New-RequestFailure -Kind 'unsupported_protocol' -Code 50 -Message $message
        return , $response
    }
    $operations = $request['operations']
    if ($operations -isnot [System.Collections.IList]) {
        $response['error'] = New-RequestFailure -Kind 'invalid_request' -Code 13 -Message 'operations must be a JSON array'
        return , $response
    }
    foreach ($operation in $operations) {
        [void]$results.Add((Invoke-AgentOperation -Operation $operation))
    }
    $response['ok'] = $true
    return , $response
}

$requestText = [string]::Join("`n", [string[]]@($input))
try {
    $response = Invoke-AgentRequest -RequestText $requestText
    $response['agent']['elapsed_ms'] = [long]$AgentState.Clock.ElapsedMilliseconds
    ConvertTo-AgentJson -Value $response
}
catch {
    # Last resort: a fixed-shape answer with the message reduced to characters that need no escaping.
    $reason = ($_.Exception.Message -replace '[^\x20-\x7E]', ' ') -replace '["\\]', "'"
    '{"protocol":"win-primitive-agent/1","ok":false,"agent":null,"results":[],"error":' +
    '{"op":null,"kind":"internal","code":null,"message":"' + $reason + '","exception":null}}'
}
