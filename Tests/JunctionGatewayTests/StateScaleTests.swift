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
}
