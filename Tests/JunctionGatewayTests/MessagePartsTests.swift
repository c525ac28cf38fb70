import JunctionChannels
import JunctionModel
import Testing

@testable import JunctionGateway

/// Concatenated SMS parts become one message however they arrive.
@Suite struct MessagePartsTests {
  static let sender = SenderProfile(externalId: "+79161234567", phone: "+79161234567")

  func part(_ index: Int, of total: Int, _ text: String, id: String? = nil) -> InboundItem {
    .part(
      MessagePart(
        reference: "ref-7", index: index, total: total,
        message: InboundMessage(
          providerMessageId: id ?? "p\(index)", sender: Self.sender, text: text)))
  }

  /// Plans `items` against `state` and applies the planned events, as the journal would.
  func ingest(_ items: [InboundItem], into state: inout GatewayState, at millis: Int64 = 1000)
    -> [IngestOutcome]
  {
    let plan = IngestPlanner.plan(
      items, channel: "sms", state: state, now: Timestamp(millis: millis))
    for event in plan.events {
      state.apply(
        event.applied.change, offset: state.lastSequence + 1,
        conversationId: event.applied.conversationId, at: event.applied.at,
        streams: event.streams)
    }
    return plan.outcome
  }

  func texts(_ state: GatewayState) -> Int { state.messages.count }

  @Test func partsOutOfOrderAndDuplicatedJoinInOrderOnce() {
    var state = GatewayState()
    #expect(
      ingest([part(3, of: 3, "мир!")], into: &state) == [.part(messageId: nil, duplicate: false)])
    #expect(
      ingest([part(3, of: 3, "мир!")], into: &state) == [.part(messageId: nil, duplicate: true)])
    _ = ingest([part(1, of: 3, "Привет, ")], into: &state)
    #expect(state.messages.isEmpty)
    let outcome = ingest([part(2, of: 3, "дорогой ")], into: &state)
    guard case .part(let messageId?, false) = outcome.first else {
      Issue.record("expected the joined message, got \(outcome)")
      return
    }
    #expect(state.messages[messageId]?.providerMessageId == "p1")
    #expect(state.partGroups.isEmpty)
    // A provider retry of any part after joining is a duplicate of the joined message.
    #expect(
      ingest([part(2, of: 3, "дорогой ")], into: &state) == [
        .part(messageId: messageId, duplicate: true)
      ])
    #expect(state.messages.count == 1)
  }

  @Test func theJoinedTextIsInPartOrder() throws {
    let state = GatewayState()
    let plan = IngestPlanner.plan(
      [part(2, of: 2, "world"), part(1, of: 2, "hello ")], channel: "sms", state: state,
      now: Timestamp(millis: 5))
    let received = try #require(
      plan.events.first { event in
        String(decoding: event.bytes, as: UTF8.self).contains("\"type\":\"message.received\"")
      })
    let event = try Event(storedBytes: received.bytes, offset: 1)
    #expect(event.data["message"]?["text"] == "hello world")
    #expect(event.data["message"]?["details"]?["concatenated"]?["parts"] == 2)
    _ = state
  }

  @Test func aTimedOutGroupIsJoinedWithWhatArrived() throws {
    var state = GatewayState()
    _ = ingest([part(1, of: 3, "first "), part(3, of: 3, "third")], into: &state)
    let key = try #require(state.partGroups.keys.first)
    let group = try #require(state.partGroups[key])
    var planner = IngestPlanner(channel: "sms", now: Timestamp(millis: 90_000), policy: .init())
    let id = planner.planJoined(group, key: key, state: state)
    #expect(id != nil)
    let received = try #require(
      planner.plan.events.first { event in
        String(decoding: event.bytes, as: UTF8.self).contains("message.received")
      })
    let event = try Event(storedBytes: received.bytes, offset: 1)
    #expect(event.data["message"]?["text"] == "first third")
    #expect(event.data["message"]?["details"]?["missing_parts"] == [2])
  }
}
