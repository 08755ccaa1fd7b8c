"""What System.IO's types stand on: Windows' path rules, the open-file table, Win32 file and directory calls,
directory enumeration, and the exceptions mscorlib makes of Win32 errors."""
