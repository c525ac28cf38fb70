import JunctionDigest
import JunctionModel
import JunctionSystem

/// What Junction knows about a stored file.
public struct BlobInfo: Sendable, Equatable {
  /// Lowercase hex SHA-256 of the content: the blob's id and file name.
  public var id: String
  public var size: Int
  public var contentType: String?
  public var filename: String?

  public var json: JSON {
    [
      "id": .string(id), "size": .int(Int64(size)), "content_type": .optional(contentType),
      "filename": .optional(filename),
    ]
  }

  init(id: String, size: Int, contentType: String?, filename: String?) {
    self.id = id
    self.size = size
    self.contentType = contentType
    self.filename = filename
  }

  init(json: FieldReader) throws(FieldError) {
    id = try json.string("id")
    size = Int(try json.optionalInt("size") ?? 0)
    contentType = try json.optionalString("content_type")
    filename = try json.optionalString("filename")
  }
}

/// Content-addressed files under `data/blobs/`: `blobs/<2 hex>/<64 hex>`, each written once,
/// durably (temporary file, fsync, rename), before the journal mentions it.
struct BlobStore: Sendable {
  let directory: String

  init(dataDirectory: String) throws {
    directory = dataDirectory + "/blobs"
    try PosixFileSystem().createDirectory(directory)
  }

  /// Whether `id` looks like a blob id (so paths built from it stay inside the store).
  static func isValid(_ id: String) -> Bool {
    id.utf8.count == 64 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }

  private func path(_ id: String) -> String {
    "\(directory)/\(id.prefix(2))/\(id)"
  }

  /// Stores `bytes` (a no-op when the same content is already there) and returns its id.
  func put(_ bytes: [UInt8]) throws -> String {
    let id = Hex.encode(SHA256.hash(bytes))
    let target = path(id)
    let fs = PosixFileSystem()
    if fs.exists(target) { return id }
    try fs.createDirectory("\(directory)/\(id.prefix(2))")
    try DurableFile.write(bytes, to: target, mode: 0o640)
    return id
  }

  /// The content of blob `id`, nil when there is no such blob.
  func get(_ id: String) throws -> [UInt8]? {
    guard Self.isValid(id) else { return nil }
    return try DurableFile.read(path(id))
  }
}
