# Bootstrap of win-primitive-agent, sent as the command (-EncodedCommand); the agent and the
# request arrive on stdin. Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# stdin: the agent script lines, one separator line, then the request lines. The script is
# checked against the digest below (fixed when the command is built: it names the agent, not
# the request), compiled, and the request lines are piped into it. Comment-only lines are
# dropped before encoding, so keep every statement on lines of its own.
Set-StrictMode -Off
$ErrorActionPreference = 'Stop'
$separator = '### win-primitive-agent request ###'
$expectedDigest = 'AGENT_SHA256_PLACEHOLDER'
$agentLines = New-Object -TypeName System.Collections.ArrayList
$requestLines = New-Object -TypeName System.Collections.ArrayList
$inRequest = $false
foreach ($line in $input) {
    $text = [string]$line
    if ($inRequest) {
        [void]$requestLines.Add($text)
    }
    elseif ($text -ceq $separator) {
        $inRequest = $true
    }
    else {
        [void]$agentLines.Add($text)
    }
}
# Digest over the non-blank lines with trailing blanks removed: immune to how a transport
# splits lines, sensitive to any change in the code.
$digestLines = New-Object -TypeName System.Collections.ArrayList
foreach ($text in $agentLines) {
    if ($text.Trim().Length -gt 0) {
        [void]$digestLines.Add($text.TrimEnd())
    }
}
$digestBytes = [System.Text.Encoding]::UTF8.GetBytes([string]::Join("`n", [string[]]$digestLines.ToArray()))
$sha = $null
try {
    $sha = New-Object -TypeName System.Security.Cryptography.SHA256CryptoServiceProvider
}
catch {
    try {
        $sha = New-Object -TypeName System.Security.Cryptography.SHA256Managed
    }
    catch {
        $sha = $null
    }
}
if ($null -eq $sha) {
    # No usable SHA-256 (FIPS mode on .NET 2.0): the check cannot run, so it is skipped.
    $actualDigest = $expectedDigest
}
else {
    $actualDigest = [System.BitConverter]::ToString($sha.ComputeHash($digestBytes)).Replace('-', '').ToLowerInvariant()
}
if (-not $inRequest -or $actualDigest -cne $expectedDigest) {
    '{"protocol":"win-primitive-agent/1","ok":false,"agent":null,"results":[],"error":' +
    '{"op":null,"kind":"agent_corrupt","code":null,"message":"agent script on stdin is missing or damaged","exception":null}}'
}
else {
    try {
        $agent = [System.Management.Automation.ScriptBlock]::Create([string]::Join("`n", [string[]]$agentLines.ToArray()))
        $requestLines | & $agent
    }
    catch {
        $reason = ($_.Exception.Message -replace '[^\x20-\x7E]', ' ') -replace '["\\]', "'"
        '{"protocol":"win-primitive-agent/1","ok":false,"agent":null,"results":[],"error":' +
        '{"op":null,"kind":"agent_failed","code":null,"message":"' + $reason + '","exception":null}}'
    }
}
