using System.Runtime.InteropServices;

namespace Compression.Onnx.IO;

/// <summary>Counts the hard links of a file (a data file with several links may alias a file outside the model folder).</summary>
internal static partial class FileLinks
{
    /// <summary>
    /// The number of hard links of an open file, or -1 when the platform does not tell (an unknown OS, or a C
    /// library without <c>statx</c>, glibc before 2.28): then the check is skipped, the others still apply.
    /// </summary>
    public static long GetHardLinkCount(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path)
    {
        try
        {
            return Query(handle, path);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    private static long Query(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return GetFileInformationByHandle(handle, out ByHandleFileInformation info) ? info.NumberOfLinks : -1;
        }

        if (OperatingSystem.IsLinux())
        {
            // statx has one layout on every Linux architecture, unlike struct stat: stx_nlink is the u32 at offset 16.
            Span<byte> buffer = stackalloc byte[256];
            const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, StatxNlink = 0x4;
            unsafe
            {
                fixed (byte* p = buffer)
                {
                    return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxNlink, p) == 0 ? BitConverter.ToUInt32(buffer[16..20]) : -1;
                }
            }
        }

        if (OperatingSystem.IsMacOS())
        {
            // Darwin's 64-bit struct stat: st_dev (int32), st_mode (uint16), st_nlink (uint16).
            Span<byte> buffer = stackalloc byte[512];
            unsafe
            {
                fixed (byte* p = buffer)
                {
                    return LStat(path, p) == 0 ? BitConverter.ToUInt16(buffer[6..8]) : -1;
                }
            }
        }

        return -1;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, int mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int LStat(string path, byte* buffer);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetFileInformationByHandle(Microsoft.Win32.SafeHandles.SafeFileHandle handle, out ByHandleFileInformation information);

    [StructLayout(LayoutKind.Sequential)]
    private struct ByHandleFileInformation
    {
        public uint FileAttributes;
        public uint CreationTimeLow;
        public uint CreationTimeHigh;
        public uint LastAccessTimeLow;
        public uint LastAccessTimeHigh;
        public uint LastWriteTimeLow;
        public uint LastWriteTimeHigh;
        public uint VolumeSerialNumber;
        public uint FileSizeHigh;
        public uint FileSizeLow;
        public uint NumberOfLinks;
        public uint FileIndexHigh;
        public uint FileIndexLow;
    }
}
