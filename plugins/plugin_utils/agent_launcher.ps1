# win-primitive-agent launcher: started by process.start through WMI (Win32_Process.Create), so it
# belongs to no WinRM shell. Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Fixed text: it takes no parameters. Its current directory is the job directory, whose job.txt
# holds base64 (UTF-8) lines: executable, working directory, argument string. It starts the
# program, writes pid-<pid>.txt (naming the job) beside the job directory, then started.txt
# (pid, start time); when the program cannot start, failed.txt (Win32 code, base64 message).
# After the program ends it writes exit.txt (unsigned exit code, end time). Each file appears
# whole: it is written under a temporary name and then renamed. Sent with -EncodedCommand after
# comment-only lines are dropped, so keep every statement on lines of its own.
Set-StrictMode -Off
$ErrorActionPreference = 'Stop'
$jobDirectory = [System.Environment]::CurrentDirectory
$timeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'"
$invariant = [System.Globalization.CultureInfo]::InvariantCulture
function Write-JobFile {
    param(
        [string]$Path,
        [string[]]$Lines
    )
    $temporary = $Path + '.tmp'
    [System.IO.File]::WriteAllText($temporary, [string]::Join("`r`n", $Lines) + "`r`n", [System.Text.Encoding]::ASCII)
    [System.IO.File]::Move($temporary, $Path)
}
# Three lines, by position: an empty argument string is an empty line, which must not be skipped.
$fields = New-Object -TypeName System.Collections.ArrayList
foreach ($line in [System.IO.File]::ReadAllLines($jobDirectory + '\job.txt')) {
    [void]$fields.Add([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($line)))
}
if ($fields.Count -lt 3) {
    $reason = [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes('the job file is incomplete'))
    Write-JobFile -Path ($jobDirectory + '\failed.txt') -Lines @('13', $reason)
    exit 1
}
$startInfo = New-Object -TypeName System.Diagnostics.ProcessStartInfo
$startInfo.FileName = $fields[0]
$startInfo.WorkingDirectory = $fields[1]
$startInfo.Arguments = $fields[2]
$startInfo.UseShellExecute = $false
try {
    $program = [System.Diagnostics.Process]::Start($startInfo)
}
catch {
    $failure = $_.Exception
    while ($null -ne $failure.InnerException -and $failure -isnot [System.ComponentModel.Win32Exception]) {
        $failure = $failure.InnerException
    }
    $code = 1
    if ($failure -is [System.ComponentModel.Win32Exception]) {
        $code = $failure.NativeErrorCode
    }
    $reason = [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($failure.Message))
    Write-JobFile -Path ($jobDirectory + '\failed.txt') -Lines @([string]$code, $reason)
    exit 1
}
try {
    $started = $program.StartTime.ToUniversalTime().ToString($timeFormat, $invariant)
}
catch {
    $started = [System.DateTime]::UtcNow.ToString($timeFormat, $invariant)
}
$processDirectory = [System.IO.Path]::GetDirectoryName($jobDirectory)
$jobName = [System.IO.Path]::GetFileName($jobDirectory)
$index = $processDirectory + '\pid-' + $program.Id.ToString($invariant) + '.txt'
if ([System.IO.File]::Exists($index)) {
    [System.IO.File]::Delete($index)
}
Write-JobFile -Path $index -Lines @($jobName)
Write-JobFile -Path ($jobDirectory + '\started.txt') -Lines @($program.Id.ToString($invariant), $started)
$program.WaitForExit()
$exitCode = [System.BitConverter]::ToUInt32([System.BitConverter]::GetBytes([int]$program.ExitCode), 0)
$ended = [System.DateTime]::UtcNow.ToString($timeFormat, $invariant)
Write-JobFile -Path ($jobDirectory + '\exit.txt') -Lines @($exitCode.ToString($invariant), $ended)
