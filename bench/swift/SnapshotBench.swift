import Foundation
import JunctionGateway
import JunctionModel

/// `junction-bench snapshot [--messages N] [--repeat R]`: builds a gateway state the way ingest
/// does (a contact, a conversation and two inbound messages per customer, with their streams)
/// and times writing its binary snapshot and loading it back, the work a journal snapshot adds
/// on a busy server (`journal.snapshot_every`) and start-up from a snapshot.
func snapshotBench(_ arguments: [String]) throws {
  var messages = 1_000_000
  var repeats = 3
  var index = 0
  while index + 1 < arguments.count {
    switch arguments[index] {
    case "--messages": messages = Int(arguments[index + 1]) ?? messages
    case "--repeat": repeats = Int(arguments[index + 1]) ?? repeats
    default: break
    }
    index += 2
  }
  var state = GatewayState()
  var offset: UInt64 = 0
  let start = Timestamp(millis: 1_700_000_000_000)
  func apply(_ change: StateChange, _ conversationId: String?, _ streams: [String]) {
    offset += 1
    state.apply(
      change, offset: offset, conversationId: conversationId,
      at: Timestamp(millis: start.millis + Int64(offset)), streams: streams)
  }
  for customer in 0..<(messages + 1) / 2 {
    let identity = ContactIdentity(channel: "bench", externalId: "customer-\(customer)")
    let contactId = "ct_\(customer)"
    let conversationId = "cv_\(customer)"
    let threadStream = "t:bench\u{1F}customer-\(customer)"
    apply(
      .contactCreated(Contact(id: contactId, identities: [identity], createdAt: start)), nil,
      ["i:\(identity.key)"])
    apply(
      .conversationCreated(
        Conversation(
          id: conversationId, contactId: contactId, channel: "bench", createdAt: start,
          updatedAt: start), threadKey: "customer-\(customer)"),
      conversationId, [threadStream, conversationId])
    for round in 0..<2 where customer * 2 + round < messages {
      let record = GatewayState.MessageRecord(
        conversationId: conversationId, channel: "bench", direction: .inbound, status: .received,
        providerMessageId: "wamid.\(customer)-\(round)")
      apply(
        .messageRecorded(id: "msg_\(customer)_\(round)", record: record, sentAt: start),
        conversationId, [threadStream, conversationId])
    }
  }
  print("state: \(state.messages.count) messages, \(state.conversations.count) conversations")
  func seconds(_ body: () throws -> Void) rethrows -> Double {
    let begin = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
  }
  var bytes: [UInt8] = []
  var writes: [Double] = []
  var loads: [Double] = []
  for _ in 0..<max(repeats, 1) {
    writes.append(seconds { bytes = state.snapshotBytes() })
    loads.append(try seconds { _ = try GatewayState(snapshotBytes: bytes) })
  }
  print(
    String(
      format: "snapshot of %d messages: %.1f MiB, write %.3f s, load %.3f s (best of %d)",
      state.messages.count, Double(bytes.count) / 1_048_576, writes.min() ?? 0,
      loads.min() ?? 0, writes.count))
}
