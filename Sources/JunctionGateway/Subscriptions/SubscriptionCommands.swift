import JunctionDelivery
import JunctionModel

/// The journal writes that change subscriptions.
enum SubscriptionCommands {
  /// Appends `subscription.created`; the completion gets the new subscription, whose
  /// `startAfter` is that event's offset (it delivers what comes after its own creation).
  static func create(
    url: String, types: [String], queues: [String], by: String, writer: StateWriter,
    completion: @escaping @Sendable (Result<Subscription, CommandFailure>) -> Void
  ) {
    writer.write(
      { state, now in
        let subscription = Subscription(
          id: Identifier.make("sub", at: now.date), url: url, types: types, queues: queues,
          createdAt: now, createdBy: by)
        var plan = WritePlan(outcome: subscription)
        plan.events.append(
          PlannedEvent(
            EventType.subscriptionCreated, at: now,
            streams: [StreamKey.subscription(subscription.id)],
            change: .subscriptionChanged(.created(subscription)),
            json: ["subscription": subscription.json]))
        return .success(plan)
      },
      completion: { result in
        // Applied before the completion runs: the state's copy carries the event's offset.
        completion(
          result.map { subscription in
            writer.store.read { $0.subscriptions[subscription.id] } ?? subscription
          })
      })
  }

  /// Appends one of the changes to an existing subscription; 404 when it does not exist.
  static func change(
    _ id: String, _ type: String, data: JSONObject = [:], writer: StateWriter,
    change: @escaping @Sendable (UInt64) -> SubscriptionChange?,
    completion: @escaping @Sendable (Result<Void, CommandFailure>) -> Void
  ) {
    writer.write(
      { state, now in
        guard let subscription = state.subscriptions[id] else {
          return .failure(
            .rejected(.error(404, code: "not_found", message: "no subscription \(id)")))
        }
        var plan = WritePlan<Void>(outcome: ())
        guard let change = change(state.lastSequence) else { return .success(plan) }
        let stream = StreamKey.subscription(subscription.id)
        plan.require(stream, in: state)
        var data = data
        data["subscription_id"] = .string(id)
        plan.events.append(
          PlannedEvent(
            type, at: now, streams: [stream], change: .subscriptionChanged(change),
            json: .object(data)))
        return .success(plan)
      }, completion: completion)
  }

  /// Disables a subscription that keeps failing; `completion` says whether it was written.
  static func disable(
    _ id: String, reason: String, writer: StateWriter,
    completion: @escaping @Sendable (Bool) -> Void
  ) {
    let alreadyDisabled = writer.store.read { $0.subscriptions[id]?.isDisabled ?? true }
    guard !alreadyDisabled else {
      completion(true)
      return
    }
    change(
      id, EventType.subscriptionDisabled, data: ["reason": .string(reason)], writer: writer,
      change: { _ in .disabled(id: id, reason: reason) }
    ) { result in
      completion((try? result.get()) != nil)
    }
  }
}
