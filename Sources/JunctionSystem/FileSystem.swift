import Glibc

/// An open file, identified by its descriptor.
public struct FileDescriptor: Sendable, Hashable {
  public let raw: Int32
  public init(raw: Int32) { self.raw = raw }
}

/// The file operations durable storage needs, behind a protocol so tests can inject faults
/// (ENOSPC on the Nth write, short writes, failing fsync, a "crash" that stops all writes).
///
/// Every method throws ``SystemError`` naming the call and the path.
public protocol FileSystem: Sendable {
  /// Opens `path` for reading and writing, creating it when `create` (mode 0644).
  func open(_ path: String, create: Bool) throws(SystemError) -> FileDescriptor
  /// Opens `path` read-only.
  func openForReading(_ path: String) throws(SystemError) -> FileDescriptor
  func close(_ file: FileDescriptor)
  /// Writes all of `bytes` at `offset`.
  func write(_ file: FileDescriptor, _ bytes: UnsafeRawBufferPointer, at offset: Int64)
    throws(SystemError)
  /// Reads up to `count` bytes at `offset` (fewer at end of file).
  func read(_ file: FileDescriptor, count: Int, at offset: Int64) throws(SystemError) -> [UInt8]
  /// Flushes the file's data (and the metadata needed to read it) to stable storage.
  func sync(_ file: FileDescriptor) throws(SystemError)
  func truncate(_ file: FileDescriptor, to size: Int64) throws(SystemError)
  func size(_ file: FileDescriptor) throws(SystemError) -> Int64
  func rename(_ from: String, to: String) throws(SystemError)
  func remove(_ path: String) throws(SystemError)
  /// Creates a directory and its parents; no error if it exists.
  func createDirectory(_ path: String) throws(SystemError)
  /// Names in a directory (no `.`/`..`).
  func list(_ path: String) throws(SystemError) -> [String]
  /// fsyncs a directory so renames and creations in it are durable.
  func syncDirectory(_ path: String) throws(SystemError)
  func exists(_ path: String) -> Bool
  /// Takes an exclusive advisory lock on `path` (created if missing); nil if another process
  /// holds it. The lock lasts until the descriptor is closed or the process exits.
  func lockExclusively(_ path: String) throws(SystemError) -> FileDescriptor?
}

/// The real file system (POSIX calls, EINTR retried).
public struct PosixFileSystem: FileSystem {
  public init() {}

  public func open(_ path: String, create: Bool) throws(SystemError) -> FileDescriptor {
    let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
    return FileDescriptor(
      raw: try syscall("open", context: path) { Glibc.open(path, flags, 0o644) })
  }

  public func openForReading(_ path: String) throws(SystemError) -> FileDescriptor {
    FileDescriptor(
      raw: try syscall("open", context: path) { Glibc.open(path, O_RDONLY | O_CLOEXEC) })
  }

  public func close(_ file: FileDescriptor) { _ = Glibc.close(file.raw) }

  public func write(_ file: FileDescriptor, _ bytes: UnsafeRawBufferPointer, at offset: Int64)
    throws(SystemError)
  {
    var done = 0
    while done < bytes.count {
      let written = try syscall("pwrite") {
        pwrite(file.raw, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
      }
      if written == 0 { throw SystemError(call: "pwrite", errno: EIO, context: "wrote 0 bytes") }
      done += written
    }
  }

  public func read(_ file: FileDescriptor, count: Int, at offset: Int64) throws(SystemError)
    -> [UInt8]
  {
    var buffer = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let got = try syscall("pread") {
        buffer.withUnsafeMutableBytes {
          pread(file.raw, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done))
        }
      }
      if got == 0 { break }
      done += got
    }
    if done < count { buffer.removeLast(count - done) }
    return buffer
  }

  public func sync(_ file: FileDescriptor) throws(SystemError) {
    try syscall("fdatasync") { fdatasync(file.raw) }
  }

  public func truncate(_ file: FileDescriptor, to size: Int64) throws(SystemError) {
    try syscall("ftruncate") { ftruncate(file.raw, off_t(size)) }
  }

  public func size(_ file: FileDescriptor) throws(SystemError) -> Int64 {
    var info = stat()
    try syscall("fstat") { fstat(file.raw, &info) }
    return Int64(info.st_size)
  }

  public func rename(_ from: String, to: String) throws(SystemError) {
    try syscall("rename", context: "\(from) -> \(to)") { Glibc.rename(from, to) }
  }

  public func remove(_ path: String) throws(SystemError) {
    try syscall("unlink", context: path) { unlink(path) }
  }

  public func createDirectory(_ path: String) throws(SystemError) {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
      prefix += part
      if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
        throw SystemError(call: "mkdir", errno: errno, context: prefix)
      }
      prefix += "/"
    }
  }

  public func list(_ path: String) throws(SystemError) -> [String] {
    guard let directory = opendir(path) else {
      throw SystemError(call: "opendir", errno: errno, context: path)
    }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  public func syncDirectory(_ path: String) throws(SystemError) {
    let fd = try syscall("open", context: path) {
      Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }
    defer { _ = Glibc.close(fd) }
    try syscall("fsync", context: path) { fsync(fd) }
  }

  public func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  public func lockExclusively(_ path: String) throws(SystemError) -> FileDescriptor? {
    let fd = try syscall("open", context: path) {
      Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let code = errno
      _ = Glibc.close(fd)
      if code == EWOULDBLOCK { return nil }
      throw SystemError(call: "flock", errno: code, context: path)
    }
    return FileDescriptor(raw: fd)
  }
}
