using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Compression.Onnx.IO;

/// <summary>
/// What the operating system says about a path before it is opened: whether it is a regular file (opening a
/// FIFO would block forever) and how many hard links it has (a data file with several links may alias a
/// file outside the model folder).
/// </summary>
/// <param name="IsRegularFile">True or false when known; <see langword="null"/> when the platform does not tell or the path does not exist.</param>
/// <param name="HardLinkCount">The link count, or -1 when unknown.</param>
internal readonly partial record struct FileFacts(bool? IsRegularFile, long HardLinkCount)
{
    private static readonly FileFacts Unknown = new(null, -1);

    /// <summary>
    /// Inspects <paramref name="path"/> on Linux (<c>statx</c>) and macOS (<c>stat</c>/<c>lstat</c>). Elsewhere, or
    /// with a C library that lacks the call (glibc before 2.28), the facts are unknown and those checks are skipped.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="followLinks">Whether to describe a link's target rather than the link.</param>
    public static FileFacts Inspect(string path, bool followLinks)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                return InspectLinux(path, followLinks);
            }

            if (OperatingSystem.IsMacOS())
            {
                return InspectMac(path, followLinks);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Unknown;
        }

        return Unknown;
    }

    /// <summary>The hard-link count of an open file on Windows (-1 elsewhere or when unknown).</summary>
    /// <param name="handle">The open file.</param>
    public static long GetWindowsHardLinkCount(SafeFileHandle handle) =>
        OperatingSystem.IsWindows() && GetFileInformationByHandle(handle, out ByHandleFileInformation info) ? info.NumberOfLinks : -1;

    private static unsafe FileFacts InspectLinux(string path, bool followLinks)
    {
        // statx has one layout on every Linux architecture, unlike struct stat: stx_nlink is the u32 at
        // offset 16 and stx_mode the u16 at offset 28.
        const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, StatxType = 0x1, StatxNlink = 0x4;
        byte* buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType | StatxNlink, buffer) != 0)
        {
            return Unknown;
        }

        uint links = *(uint*)(buffer + 16);
        ushort mode = *(ushort*)(buffer + 28);
        return new FileFacts(IsRegular(mode), links);
    }

    private static unsafe FileFacts InspectMac(string path, bool followLinks)
    {
        // The 64-bit-inode struct stat: st_dev (int32), st_mode (uint16), st_nlink (uint16). On x64 the plain
        // symbols are the legacy 32-bit-inode layout, so the $INODE64 variants are used there.
        byte* buffer = stackalloc byte[512];
        bool x64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;
        int result = (followLinks, x64) switch
        {
            (true, true) => StatInode64(path, buffer),
            (true, false) => Stat(path, buffer),
            (false, true) => LStatInode64(path, buffer),
            (false, false) => LStat(path, buffer),
        };
        return result == 0 ? new FileFacts(IsRegular(*(ushort*)(buffer + 4)), *(ushort*)(buffer + 6)) : Unknown;
    }

    private static bool IsRegular(ushort mode) => (mode & 0xF000) == 0x8000; // S_IFMT == S_IFREG

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, int mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int LStat(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "stat$INODE64", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatInode64(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "lstat$INODE64", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int LStatInode64(string path, byte* buffer);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetFileInformationByHandle(SafeFileHandle handle, out ByHandleFileInformation information);

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
