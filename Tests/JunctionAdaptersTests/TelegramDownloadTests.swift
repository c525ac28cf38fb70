import JunctionAdapters
import JunctionChannels
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// Inbound files fetched with `getFile` and the file endpoint of a stand-in Bot API.
@Suite struct TelegramDownloadTests {
  static let token = TelegramAdapterTests.token
  static let bytes = Array("%PDF-1.4 счёт №4512 \(String(repeating: "x", count: 3000))".utf8)

  static func getFile(size: Int? = nil, path: String = "documents/file_7.pdf") -> StandInReply {
    let sizeField = size.map { #","file_size":\#($0)"# } ?? ""
    return .status(
      200,
      #"{"ok":true,"result":{"file_id":"BQACAgIAAxkBAAIBRGVmX2doc","file_unique_id":"AgADdoc"\#(sizeField),"file_path":"\#(path)"}}"#
    )
  }

  static func file(_ bytes: [UInt8]) -> StandInReply {
    StandInReply(
      HTTPResponse(
        status: 200, headers: HTTPHeaders([("Content-Type", "application/octet-stream")]),
        body: bytes))
  }

  static let document = JunctionModel.Attachment(
    kind: "document", contentType: "application/pdf", filename: "invoice-4512.pdf",
    providerFileId: "BQACAgIAAxkBAAIBRGVmX2doc")

  func download(
    _ attachment: JunctionModel.Attachment = document, maxBytes: Int = 1 << 20,
    script: @escaping StandInServer.Script
  ) async throws -> (DownloadResult, [ReceivedRequest]) {
    let provider = try StandInServer(script: script)
    defer { provider.stop() }
    let adapter = try TelegramAdapterTests.adapter(apiBase: provider.url)
    let result = await adapter.download(
      attachment, transport: LoopbackTransport(), maxBytes: maxBytes)
    return (result, provider.requests)
  }

  @Test func getFileThenTheFileEndpoint() async throws {
    let (result, requests) = try await download { request in
      request.path.hasSuffix("/getFile")
        ? Self.getFile(size: Self.bytes.count) : Self.file(Self.bytes)
    }
    #expect(
      requests.map(\.path) == [
        "/bot\(Self.token)/getFile", "/file/bot\(Self.token)/documents/file_7.pdf",
      ])
    #expect(requests[0].json == ["file_id": "BQACAgIAAxkBAAIBRGVmX2doc"])
    #expect(requests[1].method == "GET")
    #expect(
      result
        == .downloaded(
          DownloadedFile(
            bytes: Self.bytes, contentType: "application/pdf", filename: "invoice-4512.pdf")))
  }

  @Test func aPhotoWithoutNameIsNamedAfterItsPath() async throws {
    let photo = JunctionModel.Attachment(
      kind: "image", contentType: "image/jpeg", providerFileId: "AgAC")
    let (result, _) = try await download(photo) { request in
      request.path.hasSuffix("/getFile")
        ? Self.getFile(path: "photos/file_12.jpg") : Self.file([0xFF, 0xD8, 0xFF])
    }
    #expect(
      result
        == .downloaded(
          DownloadedFile(
            bytes: [0xFF, 0xD8, 0xFF], contentType: "image/jpeg", filename: "file_12.jpg"))
    )
  }

  @Test func tooLargeFilesAreRefusedWithoutDownloading() async throws {
    var big = Self.document
    big.size = 30 << 20
    let (announced, none) = try await download(big, maxBytes: 20 << 20) { _ in .status(500) }
    #expect(none.isEmpty)
    guard case .failed(let error) = announced else {
      Issue.record("expected failure, got \(announced)")
      return
    }
    #expect(error.code == "too_large")

    let (reported, onlyGetFile) = try await download(maxBytes: 1000) { request in
      request.path.hasSuffix("/getFile") ? Self.getFile(size: 5000) : Self.file(Self.bytes)
    }
    #expect(onlyGetFile.count == 1)
    guard case .failed(let reportedError) = reported else {
      Issue.record("expected failure, got \(reported)")
      return
    }
    #expect(reportedError.code == "too_large")

    let (refused, _) = try await download { _ in
      .status(400, #"{"ok":false,"error_code":400,"description":"Bad Request: file is too big"}"#)
    }
    guard case .failed(let refusedError) = refused else {
      Issue.record("expected failure, got \(refused)")
      return
    }
    #expect(refusedError.code == "too_large")

    let (streamed, _) = try await download(maxBytes: 1000) { request in
      request.path.hasSuffix("/getFile") ? Self.getFile() : Self.file(Self.bytes)
    }
    guard case .failed(let streamedError) = streamed else {
      Issue.record("expected failure, got \(streamed)")
      return
    }
    #expect(streamedError.code == "too_large")
  }

  @Test func busyServersAreRetriedAndMissingFilesAreNot() async throws {
    let (limited, _) = try await download { _ in
      .status(
        429,
        #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}"#
      )
    }
    guard case .retry = limited else {
      Issue.record("expected retry, got \(limited)")
      return
    }
    let (busyFile, _) = try await download { request in
      request.path.hasSuffix("/getFile") ? Self.getFile() : .status(503)
    }
    guard case .retry(let busyError) = busyFile else {
      Issue.record("expected retry, got \(busyFile)")
      return
    }
    #expect(!busyError.message.contains(Self.token))
    let (wrongId, _) = try await download { _ in
      .status(400, #"{"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"}"#)
    }
    guard case .failed(let wrongError) = wrongId else {
      Issue.record("expected failure, got \(wrongId)")
      return
    }
    #expect(wrongError.code == "http_400")
    let (gone, _) = try await download { request in
      request.path.hasSuffix("/getFile") ? Self.getFile() : .status(404, "Not Found")
    }
    guard case .failed = gone else {
      Issue.record("expected failure, got \(gone)")
      return
    }
  }

  @Test func aHostileFilePathIsRefused() async throws {
    let (result, requests) = try await download { _ in Self.getFile(path: "../../etc/passwd") }
    #expect(requests.count == 1)
    guard case .failed(let error) = result else {
      Issue.record("expected failure, got \(result)")
      return
    }
    #expect(error.code == "invalid_response")
  }
}
