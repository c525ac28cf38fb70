import JunctionChannels
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Synchronization
import Testing

@testable import JunctionAdapters

/// Media by id in two steps, against a stand-in Graph API and media CDN.
@Suite struct WhatsAppDownloadTests {
  static let bytes: [UInt8] = Array("\u{FF}\u{D8}fake jpeg bytes".utf8)
  let image = Attachment(
    kind: "image", contentType: "image/jpeg", providerFileId: "1003383421387256")

  /// A stand-in answering the lookup with `lookup` and the file with `file`.
  func server(
    lookup: @escaping @Sendable (String) -> StandInReply,
    file: @escaping @Sendable () -> StandInReply = {
      StandInReply(
        HTTPResponse(
          status: 200, headers: HTTPHeaders([("Content-Type", "application/octet-stream")]),
          body: bytes))
    }
  ) throws -> StandInServer {
    let base = URLBox()
    let server = try StandInServer { request in
      request.path.hasPrefix("/media/") ? file() : lookup(base.url.withLock { $0 })
    }
    base.url.withLock { $0 = server.url }
    return server
  }

  static func mediaJSON(_ base: String, size: Int = 16) -> String {
    #"{"url":"\#(base)/media/whatsapp_business/attachments/?mid=1003383421387256&ext=1749416400&hash=ATsX","mime_type":"image/jpeg","sha256":"4WnUDgBtRwmTvqEXhkG0B1X1wz8e1wvJmXmF0aR7g0E=","file_size":\#(size),"id":"1003383421387256","messaging_product":"whatsapp"}"#
  }

  @Test func looksUpTheMediaThenFetchesItWithTheSameToken() async throws {
    let server = try server(lookup: { .status(200, Self.mediaJSON($0)) })
    defer { server.stop() }
    let adapter = try MetaTest.whatsapp(apiBase: server.url + "/v23.0")
    let result = await adapter.download(image, transport: LoopbackTransport(), maxBytes: 1 << 20)
    #expect(
      result == .downloaded(DownloadedFile(bytes: Self.bytes, contentType: "image/jpeg")))
    let requests = server.requests
    #expect(requests.first?.path == "/v23.0/1003383421387256")
    // (LoopbackTransport drops the URL's trailing slash; libcurl keeps it.)
    #expect(requests.last?.path.hasPrefix("/media/whatsapp_business/attachments") == true)
    #expect(requests.map(\.method) == ["GET", "GET"])
    #expect(requests.allSatisfy { $0.header("Authorization") == "Bearer EAAJB9Zt0ken" })
    #expect(requests.last?.query.hasPrefix("mid=1003383421387256") == true)
  }

  @Test func aFileAboveTheLimitIsRefusedBeforeDownloading() async throws {
    let server = try server(lookup: { .status(200, Self.mediaJSON($0, size: 10_000_000)) })
    defer { server.stop() }
    let adapter = try MetaTest.whatsapp(apiBase: server.url + "/v23.0")
    let result = await adapter.download(image, transport: LoopbackTransport(), maxBytes: 1 << 20)
    guard case .failed(let error) = result else {
      Issue.record("expected failure, got \(result)")
      return
    }
    #expect(error.code == "too_large")
    #expect(server.requests.count == 1)
    // A lying file_size is still caught on the bytes.
    let small = try self.server(lookup: { .status(200, Self.mediaJSON($0, size: 1)) })
    defer { small.stop() }
    let second = await (try MetaTest.whatsapp(apiBase: small.url + "/v23.0")).download(
      image, transport: LoopbackTransport(), maxBytes: 4)
    guard case .failed(let bytesError) = second else {
      Issue.record("expected failure, got \(second)")
      return
    }
    #expect(bytesError.code == "too_large")
  }

  @Test(
    arguments: [
      (
        400,
        #"{"error":{"message":"Unsupported get request. Object with ID '1003383421387256' does not exist","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"A1"}}"#,
        "failed"
      ),
      (
        401,
        #"{"error":{"message":"Error validating access token","type":"OAuthException","code":190,"fbtrace_id":"A2"}}"#,
        "failed"
      ),
      (
        429,
        #"{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,"fbtrace_id":"A3"}}"#,
        "retry"
      ),
      (
        500,
        #"{"error":{"message":"An unexpected error has occurred.","type":"OAuthException","code":2,"is_transient":true,"fbtrace_id":"A4"}}"#,
        "retry"
      ),
      (502, "Bad Gateway", "retry"),
      (404, "Not Found", "failed"),
    ] as [(Int, String, String)])
  func aFailedLookupIsClassified(_ status: Int, _ body: String, _ expected: String) async throws {
    let server = try server(lookup: { _ in .status(status, body) })
    defer { server.stop() }
    let adapter = try MetaTest.whatsapp(apiBase: server.url + "/v23.0")
    let result = await adapter.download(image, transport: LoopbackTransport(), maxBytes: 1 << 20)
    switch (result, expected) {
    case (.retry, "retry"), (.failed, "failed"): break
    default: Issue.record("expected \(expected), got \(result)")
    }
    #expect(server.requests.count == 1)
  }

  @Test func anExpiredMediaURLIsRetriedAndServerErrorsToo() async throws {
    for status in [403, 404, 500] {
      let server = try server(
        lookup: { .status(200, Self.mediaJSON($0)) }, file: { .status(status, "expired") })
      defer { server.stop() }
      let adapter = try MetaTest.whatsapp(apiBase: server.url + "/v23.0")
      let result = await adapter.download(image, transport: LoopbackTransport(), maxBytes: 1 << 20)
      guard case .retry = result else {
        Issue.record("\(status): expected retry, got \(result)")
        continue
      }
    }
  }

  @Test func locationsAndContactsHaveNoFile() async throws {
    let adapter = try MetaTest.whatsapp()
    let result = await adapter.download(
      Attachment(kind: "location", caption: "Main Campus"), transport: LoopbackTransport(),
      maxBytes: 100)
    guard case .failed(let error) = result else {
      Issue.record("expected failure, got \(result)")
      return
    }
    #expect(error.code == "no_file")
  }
}

/// The stand-in's own URL, known only once it listens.
final class URLBox: Sendable {
  let url = Mutex("")
}
