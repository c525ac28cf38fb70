import Glibc

/// Small files that must survive a crash once written (keys, markers): written to a
/// temporary file, fsynced, renamed into place, and the directory fsynced.
public enum DurableFile {
  /// Writes `bytes` to `path` atomically and durably with permissions `mode`.
  public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600)
    throws(SystemError)
  {
    let temporary = path + ".tmp"
    let fd = try syscall("open", context: temporary) {
      Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    }
    do {
      var done = 0
      while done < bytes.count {
        let written = try syscall("write", context: temporary) {
          bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
        }
        done += written
      }
      try syscall("fsync", context: temporary) { fsync(fd) }
    } catch {
      _ = Glibc.close(fd)
      throw error
    }
    _ = Glibc.close(fd)
    try syscall("rename", context: path) { rename(temporary, path) }
    let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
      .joined(separator: "/")
    try PosixFileSystem().syncDirectory(directory.isEmpty ? "." : directory)
  }

  /// The whole content of `path`, or nil when it does not exist.
  public static func read(_ path: String) throws(SystemError) -> [UInt8]? {
    let fs = PosixFileSystem()
    guard fs.exists(path) else { return nil }
    let file = try fs.openForReading(path)
    defer { fs.close(file) }
    let size = try fs.size(file)
    return try fs.read(file, count: Int(size), at: 0)
  }
}
