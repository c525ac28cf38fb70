import JunctionChannels
import JunctionModel
import Testing

@testable import JunctionGateway

/// Many waiting conversations stay indexed as their messages arrive. Found by bench/scale:
/// each applied event re-indexed its conversation while iterating the queue index's keys, so
/// removing it copied the whole waiting set of its queue — replaying a journal cost the square
/// of the open conversations (bench/scale measures it; tests do not time).
@Suite struct StateScaleTests {
  @Test func manyWaitingConversationsStayIndexedAsMessagesArrive() {
    var state = GatewayState()
    let customers = 10_000
    for round in 0..<2 {
      for customer in 0..<customers {
        let message = InboundMessage(
          providerMessageId: "m\(round)-\(customer)",
          sender: SenderProfile(externalId: "customer-\(customer)"), text: "hello \(round)")
        let plan = IngestPlanner.plan(
          [.message(message)], channel: "web", state: state,
          now: Timestamp(millis: Int64(1000 + round * customers + customer)))
        for event in plan.events {
          state.apply(
            event.applied.change, offset: state.lastSequence + 1,
            conversationId: event.applied.conversationId, at: event.applied.at,
            streams: event.streams)
        }
      }
    }
    #expect(state.conversations.count == customers)
    #expect(state.waiting["general"]?.count == customers)
    #expect(state.conversations.values.allSatisfy { $0.conversation.messageCount == 2 })
  }

  @Test func aRoutedConversationsSLAFactsGrowWithItsTurnsNotItsMessages() throws {
    var state = GatewayState()
    func customerWrites(_ index: Int) {
      let message = InboundMessage(
        providerMessageId: "m\(index)", sender: SenderProfile(externalId: "customer"),
        text: "hello \(index)")
      let plan = IngestPlanner.plan(
        [.message(message)], channel: "web", state: state, now: Timestamp(millis: Int64(index)))
      for event in plan.events {
        state.apply(
          event.applied.change, offset: state.lastSequence + 1,
          conversationId: event.applied.conversationId, at: event.applied.at,
          streams: event.streams)
      }
    }
    customerWrites(1)
    let id = try #require(state.conversations.keys.first { _ in true })
    state.routing[id] = try RoutingRecord(
      routed: FieldReader(
        ["skill": "billing", "tier": "l1", "workflow": [:], "sla": ["policy": "fast"]]),
      at: Timestamp(millis: 1))
    for index in 2...50 { customerWrites(index) }
    #expect(state.routing[id]?.sla == [.customerMessage(Timestamp(millis: 1))])
    state.routing[id]?.sla.append(.agentReply(Timestamp(millis: 60)))
    customerWrites(70)
    customerWrites(71)
    #expect(
      state.routing[id]?.sla == [
        .customerMessage(Timestamp(millis: 1)), .agentReply(Timestamp(millis: 60)),
        .customerMessage(Timestamp(millis: 70)),
      ])
  }
}
