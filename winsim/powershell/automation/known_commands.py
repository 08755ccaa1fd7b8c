"""Commands Windows PowerShell 2.0 has that the interpreter does not model: calling one is NotModelled
(naming it), not CommandNotFoundException, which would claim Windows lacks it. Names from the 2.0 cmdlet
reference (Microsoft.PowerShell.Core, .Management, .Utility, .Security, .Diagnostics, WSMan.Management) and
its built-in aliases."""

from __future__ import annotations

_CMDLETS_TEXT = """
Add-Computer Add-Content Add-History Add-Member Add-PSSnapin Add-Type Checkpoint-Computer Clear-Content
Clear-EventLog Clear-History Clear-Item Clear-ItemProperty Clear-Variable Compare-Object Complete-Transaction
Connect-WSMan ConvertFrom-Csv ConvertFrom-SecureString ConvertFrom-StringData Convert-Path ConvertTo-Csv
ConvertTo-Html ConvertTo-SecureString ConvertTo-Xml Copy-Item Copy-ItemProperty Debug-Process
Disable-ComputerRestore Disable-PSBreakpoint Disable-PSRemoting Disable-PSSessionConfiguration
Disable-WSManCredSSP Disconnect-WSMan Enable-ComputerRestore Enable-PSBreakpoint Enable-PSRemoting
Enable-PSSessionConfiguration Enable-WSManCredSSP Enter-PSSession Exit-PSSession Export-Alias Export-Clixml
Export-Console Export-Counter Export-Csv Export-FormatData Export-ModuleMember Export-PSSession ForEach-Object
Format-Custom Format-List Format-Table Format-Wide Get-Acl Get-Alias Get-AuthenticodeSignature Get-ChildItem
Get-Command Get-ComputerRestorePoint Get-Content Get-Counter Get-Credential Get-Culture Get-Date Get-Event
Get-EventLog Get-EventSubscriber Get-ExecutionPolicy Get-FormatData Get-Help Get-History Get-Host Get-HotFix
Get-Item Get-ItemProperty Get-Job Get-Location Get-Member Get-Module Get-PfxCertificate Get-Process
Get-PSBreakpoint Get-PSCallStack Get-PSDrive Get-PSProvider Get-PSSession Get-PSSessionConfiguration
Get-PSSnapin Get-Random Get-Service Get-TraceSource Get-Transaction Get-UICulture Get-Unique Get-Variable
Get-WinEvent Get-WmiObject Get-WSManCredSSP Get-WSManInstance Group-Object Import-Alias Import-Clixml
Import-Counter Import-Csv Import-LocalizedData Import-Module Import-PSSession Invoke-Command Invoke-Expression
Invoke-History Invoke-Item Invoke-WmiMethod Invoke-WSManAction Join-Path Limit-EventLog Measure-Command
Measure-Object Move-Item Move-ItemProperty New-Alias New-Event New-EventLog New-Item New-ItemProperty
New-Module New-ModuleManifest New-Object New-PSDrive New-PSSession New-PSSessionOption New-Service
New-TimeSpan New-Variable New-WebServiceProxy New-WSManInstance New-WSManSessionOption Out-Default Out-File
Out-GridView Out-Host Out-Null Out-Printer Out-String Pop-Location Push-Location Read-Host Receive-Job
Register-EngineEvent Register-ObjectEvent Register-PSSessionConfiguration Register-WmiEvent Remove-Computer
Remove-Event Remove-EventLog Remove-Item Remove-ItemProperty Remove-Job Remove-Module Remove-PSBreakpoint
Remove-PSDrive Remove-PSSession Remove-PSSnapin Remove-Variable Remove-WmiObject Remove-WSManInstance
Rename-Item Rename-ItemProperty Reset-ComputerMachinePassword Resolve-Path Restart-Computer Restart-Service
Restore-Computer Resume-Service Select-Object Select-String Select-Xml Send-MailMessage Set-Acl Set-Alias
Set-AuthenticodeSignature Set-Content Set-Date Set-ExecutionPolicy Set-Item Set-ItemProperty Set-Location
Set-PSBreakpoint Set-PSDebug Set-PSSessionConfiguration Set-Service Set-StrictMode Set-TraceSource
Set-Variable Set-WmiInstance Set-WSManInstance Set-WSManQuickConfig Show-EventLog Sort-Object Split-Path
Start-Job Start-Process Start-Service Start-Sleep Start-Transaction Start-Transcript Stop-Computer Stop-Job
Stop-Process Stop-Service Stop-Transcript Suspend-Service Tee-Object Test-ComputerSecureChannel
Test-Connection Test-ModuleManifest Test-Path Test-WSMan Trace-Command Undo-Transaction
Unregister-Event Unregister-PSSessionConfiguration Update-FormatData Update-List Update-TypeData Use-Transaction
Wait-Event Wait-Job Wait-Process Where-Object Write-Debug Write-Error Write-EventLog Write-Host Write-Output
Write-Progress Write-Verbose Write-Warning
"""

_ALIASES_TEXT = """
ac asnp cat cd chdir clc clear clhy cli clp cls clv compare copy cp cpi cpp cvpa dbp del diff dir ebp echo epal
epcsv epsn erase etsn exsn fc fl foreach ft fw gal gbp gc gci gcm gcs gdr ghy gi gjb gl gm gmo gp gps group gsn
gsnp gsv gu gv gwmi h history icm iex ihy ii ipal ipcsv ipmo ipsn ise iwmi kill lp ls man md measure mi mount
move mp mv nal ndr ni nmo nsn nv ogv oh popd ps pushd pwd r rbp rcjb rd rdr ren ri rjb rm rmdir rmo rni rnp rp
rsn rsnp rv rvpa rwmi sajb sal saps sasv sbp sc select set si sl sleep sort sp spjb spps spsv start sv swmi tee
type where wjb write
"""
CMDLETS_2_0 = _CMDLETS_TEXT.split()
ALIASES_2_0 = _ALIASES_TEXT.split()

_KNOWN = {name.lower() for name in CMDLETS_2_0 + ALIASES_2_0}


def is_windows_powershell_command(name: str) -> bool:
    return name.lower() in _KNOWN
