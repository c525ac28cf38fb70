import Foundation
import JunctionHTTP
import JunctionJournal
import JunctionModel

/// `GET /v1/events?after=N&limit=M&types=a,b`: events after offset N, oldest first, in the
/// envelope of DESIGN.md, as `{"events": [...], "next": N}`. Pass `next` as `after` to go on.
struct EventFeedEndpoint: Sendable {
  static let defaultLimit = 100
  static let maxLimit = 1000
  /// With a type filter, at most this many records are scanned per request; `next` still moves
  /// past them, so a client never re-scans.
  static let maxScan = 10_000

  let journal: any Journal

  func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
    let query: FeedQuery
    switch FeedQuery.parse(request) {
    case .success(let parsed): query = parsed
    case .failure(let rejection):
      responder.respond(rejection.response)
      return
    }
    do {
      let page = try read(query)
      responder.respond(.json(200, page))
    } catch {
      responder.respond(.error(500, code: "journal_unreadable", message: "\(error)"))
    }
  }

  func read(_ query: FeedQuery) throws(JournalError) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(512 * min(query.limit, 64))
    out.append(contentsOf: #"{"events":["#.utf8)
    var next = query.after
    var count = 0
    var scanned = 0
    while count < query.limit && scanned < Self.maxScan {
      let batch = try journal.read(
        after: next, limit: query.types == nil ? query.limit - count : 500)
      if batch.isEmpty { break }
      for record in batch {
        scanned += 1
        next = record.sequence
        if let types = query.types {
          guard let type = EventHeader(storedBytes: record.payload)?.type, types.contains(type)
          else {
            continue
          }
        }
        if count > 0 { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: Event.envelope(offset: record.sequence, storedBytes: record.payload))
        count += 1
        if count == query.limit { break }
      }
    }
    out.append(contentsOf: "],\"next\":\(next)}".utf8)
    return out
  }
}

/// The parameters of a feed request, checked.
struct FeedQuery: Sendable {
  var after: UInt64 = 0
  var limit = EventFeedEndpoint.defaultLimit
  var types: Set<String>?

  static func parse(_ request: HTTPRequest) -> Result<FeedQuery, RejectedRequest> {
    var query = FeedQuery()
    if let text = request.queryValue("after") {
      guard let after = UInt64(text) else {
        return .failure(.parameter("after", "expected a non-negative integer"))
      }
      query.after = after
    }
    if let text = request.queryValue("limit") {
      guard let limit = Int(text), (1...EventFeedEndpoint.maxLimit).contains(limit) else {
        return .failure(
          .parameter("limit", "expected an integer from 1 to \(EventFeedEndpoint.maxLimit)"))
      }
      query.limit = limit
    }
    if let text = request.queryValue("types"), !text.isEmpty {
      query.types = Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }
    return .success(query)
  }
}
